package mail

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the expos' zones, whatever the machine has

	"expodesk/internal/expodesk"
	"expodesk/internal/i18n"
)

func newComposer(t *testing.T) *Composer {
	t.Helper()
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return NewComposer(catalog)
}

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestMailCatalogs(t *testing.T) {
	t.Parallel()
	keys, err := i18n.Keys()
	if err != nil {
		t.Fatal(err)
	}
	en := slices.Sorted(slices.Values(keys[expodesk.EN]["mail"]))
	if len(en) == 0 {
		t.Fatal("no mail catalog for en")
	}
	for _, l := range expodesk.Langs {
		got := slices.Sorted(slices.Values(keys[l]["mail"]))
		if !slices.Equal(got, en) {
			t.Errorf("mail.%s.json keys differ from mail.en.json:\n%v\n%v", l, got, en)
		}
		for _, k := range got {
			if !strings.HasPrefix(k, "mail.") {
				t.Errorf("mail.%s.json: key %q lacks the mail. prefix that keeps it apart from other areas", l, k)
			}
		}
	}
}

func TestCompose(t *testing.T) {
	t.Parallel()
	c := newComposer(t)
	madrid, shanghai := zone(t, "Europe/Madrid"), zone(t, "Asia/Shanghai")
	expires := time.Date(2027, 10, 20, 2, 30, 0, 0, time.UTC)
	contents := map[string]Content{
		"TeamMember": Invitation{Role: InviteTeamMember, Link: "https://expodesk.example/invitations/tok1",
			Inviter: "王伟", Company: "太湖传感", ExpiresAt: expires, Zone: shanghai},
		"TeamMemberForAnExpo": Invitation{Role: InviteTeamMember, Link: "https://expodesk.example/invitations/tok2",
			Inviter: "Marc Tarragó", Company: "Taihu Sensing", Expo: "World IoT Expo 2027", ExpiresAt: expires, Zone: shanghai},
		"Organizer": Invitation{Role: InviteOrganizer, Link: "https://expodesk.example/invitations/tok3",
			Inviter: "Marc Tarragó", Expo: "IoT Solutions World Congress 2027", ExpiresAt: expires, Zone: madrid},
		"PavilionCoordinator": Invitation{Role: InviteOrganizer, Link: "https://expodesk.example/invitations/tok4",
			Inviter: "Marc Tarragó", Expo: "IoT Solutions World Congress 2027", Pavilion: "Wuxi Pavilion", ExpiresAt: expires, Zone: madrid},
		"PasswordReset": PasswordReset{Link: "https://expodesk.example/reset/tok5", ExpiresAt: expires},
		"PasswordChanged": PasswordChanged{At: expires, Zone: madrid,
			ResetLink: "https://expodesk.example/password/forgot"},
		"PasswordChangedNoLink": PasswordChanged{At: expires},
	}
	leftover := regexp.MustCompile(`mail\.[a-z_.0-9]+|\{\{|<no value>`)
	for name, content := range contents {
		for _, lang := range expodesk.Langs {
			t.Run(name+"/"+string(lang), func(t *testing.T) {
				m := c.Message("li.na@example.cn", lang, content)
				if err := m.Validate(); err != nil {
					t.Fatalf("composed message does not validate: %v", err)
				}
				if m.Kind != content.Kind() || m.Lang != lang {
					t.Errorf("kind %s, lang %s", m.Kind, m.Lang)
				}
				for _, s := range []string{m.Subject, m.BodyText} {
					if bad := leftover.FindString(s); bad != "" {
						t.Errorf("untranslated %q in %q", bad, s)
					}
				}
				var link string
				switch v := content.(type) {
				case Invitation:
					link = v.Link
				case PasswordReset:
					link = v.Link
				case PasswordChanged:
					link = v.ResetLink
				}
				if link != "" && !slices.Contains(LinksIn(m.BodyText), link) {
					t.Errorf("body links %v lack %s", LinksIn(m.BodyText), link)
				}
			})
		}
	}

	t.Run("Chinese", func(t *testing.T) {
		subject, body := c.Compose(expodesk.ZH, contents["TeamMember"])
		if subject != "王伟邀请您加入 expodesk 上的太湖传感团队" {
			t.Errorf("subject = %q", subject)
		}
		for _, want := range []string{"您好：", "王伟邀请您加入太湖传感在 expodesk 上的团队。",
			"有效期至2027年10月20日 10:30（CST）。", "https://expodesk.example/invitations/tok1"} {
			if !strings.Contains(body, want) {
				t.Errorf("body lacks %q:\n%s", want, body)
			}
		}
	})

	t.Run("Spanish", func(t *testing.T) {
		subject, body := c.Compose(expodesk.ES, contents["PavilionCoordinator"])
		if subject != "Invitación para coordinar un pabellón: Wuxi Pavilion, IoT Solutions World Congress 2027" {
			t.Errorf("subject = %q", subject)
		}
		if !strings.Contains(body, "válido hasta el 20 de octubre de 2027, 04:30 (CEST).") {
			t.Errorf("body lacks the expiry in Madrid time:\n%s", body)
		}
	})

	t.Run("EnglishUTCWithoutZone", func(t *testing.T) {
		_, body := c.Compose(expodesk.EN, contents["PasswordReset"])
		if !strings.Contains(body, "valid until 20 October 2027, 02:30 (UTC).") {
			t.Errorf("body:\n%s", body)
		}
	})

	t.Run("SubjectOnOneLine", func(t *testing.T) {
		m := c.Message("a@example.es", expodesk.EN, Invitation{Role: InviteTeamMember, Link: "https://x.example/i",
			Inviter: "Eve\r\nBcc: victim@example.com", Company: strings.Repeat("Taihu ", 80), ExpiresAt: expires})
		if strings.ContainsAny(m.Subject, "\r\n") || len([]rune(m.Subject)) > 300 {
			t.Errorf("subject = %q", m.Subject)
		}
		if err := m.Validate(); err != nil {
			t.Error(err)
		}
	})

	t.Run("UnknownLanguageIsEnglish", func(t *testing.T) {
		m := c.Message("a@example.es", "fr", PasswordReset{Link: "https://x.example/r", ExpiresAt: expires})
		if m.Lang != expodesk.EN || m.Subject != "Reset your expodesk password" {
			t.Errorf("lang %s, subject %q", m.Lang, m.Subject)
		}
	})
}

func TestLinksIn(t *testing.T) {
	t.Parallel()
	body := "Open https://expodesk.example/invitations/abc_DEF-123.\nOr (http://localhost:8080/reset/xyz), not ftp://x."
	got := LinksIn(body)
	want := []string{"https://expodesk.example/invitations/abc_DEF-123", "http://localhost:8080/reset/xyz"}
	if !slices.Equal(got, want) {
		t.Errorf("LinksIn = %v, want %v", got, want)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	for attempts, want := range map[int]time.Duration{
		-1: 30 * time.Second, 0: 30 * time.Second, 1: time.Minute, 2: 2 * time.Minute, 6: 32 * time.Minute,
		7: time.Hour, 11: time.Hour, 1000: time.Hour,
	} {
		if got := Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
}
