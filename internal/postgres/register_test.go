package postgres_test

import (
	"fmt"
	"slices"
	"testing"

	"expodesk/internal/expodesk"
)

// TestExhibitorDuplicates checks each signal of a likely duplicate at the
// store, with what every Wuxi company's name shares (无锡…科技有限公司,
// "Co., Ltd.") not counting as likeness.
func TestExhibitorDuplicates(t *testing.T) {
	t.Parallel()
	v := newVisitorStore(t)
	x := v.expo("iotswc-2027")
	taihu := v.exhibitor(expodesk.Exhibitor{Slug: "taihu-sensing", LegalName: "无锡太湖传感科技有限公司", Name: expodesk.Text{EN: "Taihu Sensing", ZH: "太湖传感"},
		Country: "CN", Website: "https://user@WWW.Taihu.example.cn.:8443/zh?x=1"})
	// An id stored in lower case before registration ids were cleaned.
	v.exec(`UPDATE exhibitor SET registration_id = '91350100m000100y43' WHERE id = $1`, taihu.ID)
	nube := v.exhibitor(expodesk.Exhibitor{Slug: "nube-catalana", LegalName: "Nube Catalana, S.L.", Name: expodesk.Text{ES: "Nube Catalana"}, Country: "ES"})
	v.join(x.ID, nube.ID, nil, expodesk.StatusApplied)
	// Thirty companies whose names share only the boilerplate.
	for i := range 30 {
		v.exhibitor(expodesk.Exhibitor{Slug: fmt.Sprintf("wuxi-%d", i), LegalName: fmt.Sprintf("无锡%s物联网科技有限公司", string(rune('甲'+i))),
			Name: expodesk.Text{EN: fmt.Sprintf("Wuxi %c IoT Technology Co., Ltd.", 'A'+i)}, Country: "CN"})
	}

	ids := func(ds []expodesk.DuplicateCandidate) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Slug)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		q      expodesk.DuplicateQuery
		want   []string
		reason expodesk.DuplicateReason
	}{
		{"RegistrationIDAnyCase", expodesk.DuplicateQuery{RegistrationID: "91350100M000100Y43"}, []string{"taihu-sensing"}, expodesk.DuplicateRegistrationID},
		{"WebsiteHostWwwPortUserCase", expodesk.DuplicateQuery{Website: "http://taihu.EXAMPLE.cn/en"}, []string{"taihu-sensing"}, expodesk.DuplicateWebsite},
		{"OtherHostNotSame", expodesk.DuplicateQuery{Website: "https://taihu.example.com"}, nil, ""},
		{"ChineseDisplayNameAgainstLegalName", expodesk.DuplicateQuery{Names: []string{"太湖传感"}}, []string{"taihu-sensing"}, expodesk.DuplicateName},
		{"LegalFormsAside", expodesk.DuplicateQuery{Names: []string{"NUBE CATALANA SL"}}, []string{"nube-catalana"}, expodesk.DuplicateName},
		{"EnglishWithLegalForm", expodesk.DuplicateQuery{Names: []string{"Taihu Sensing Co., Ltd."}}, []string{"taihu-sensing"}, expodesk.DuplicateName},
		{"BoilerplateIsNoLikeness", expodesk.DuplicateQuery{Names: []string{"无锡云帆物联网科技有限公司", "Wuxi Yunfan IoT Technology Co., Ltd."}}, nil, ""},
		{"Nothing", expodesk.DuplicateQuery{}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.ExpoID = x.ID
			got, err := v.s.ExhibitorDuplicates(v.ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tc.want) {
				t.Fatalf("duplicates %v, want %v", ids(got), tc.want)
			}
			if len(got) > 0 && !got[0].Has(tc.reason) {
				t.Errorf("reasons %v, want %s", got[0].Reasons, tc.reason)
			}
		})
	}
	t.Run("InExpo", func(t *testing.T) {
		got, err := v.s.ExhibitorDuplicates(v.ctx, expodesk.DuplicateQuery{ExpoID: x.ID, Names: []string{"Nube Catalana"}})
		if err != nil || len(got) != 1 || got[0].InExpo != expodesk.StatusApplied || len(got[0].Participations) != 1 {
			t.Errorf("%+v %v", got, err)
		}
	})
}
