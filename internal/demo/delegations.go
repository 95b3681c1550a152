package demo

import (
	"context"
	"fmt"
	"time"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
)

// The two demo delegations go opposite ways: Wuxi's municipal government
// (with Xinwu District officials) to the congress in Barcelona, and a
// Barcelona business mission to the expo in Wuxi. Names and protocol follow
// each side's customs: Chinese names family name first, Spanish ones given
// name first with both surnames. Itinerary texts are in the delegation's
// language, as an organizer writing for them would.

// member is one person of a demo delegation.
type member struct {
	family, given string
	order         expodesk.NameOrder
	title, org    string
	email         string
	role          expodesk.ProtocolRole
	letter        expodesk.LetterStatus
}

// at returns the local time of day on the expo's day dayIndex (0 = first day,
// -1 = the day before).
func at(e expodesk.Expo, dayIndex, hour, minute int) time.Time {
	d := e.FirstDay.AddDate(0, 0, dayIndex)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, e.Location())
}

// Meetings already answered were answered a little before now, so that the
// demo never shows an answer from the future.
func loadDelegations(ctx context.Context, s *postgres.Store, w *world, now time.Time) error {
	if err := loadWuxiDelegation(ctx, s, w, now); err != nil {
		return fmt.Errorf("wuxi delegation: %w", err)
	}
	if err := loadBarcelonaMission(ctx, s, w, now); err != nil {
		return fmt.Errorf("barcelona mission: %w", err)
	}
	return nil
}

func loadWuxiDelegation(ctx context.Context, s *postgres.Store, w *world, now time.Time) error {
	expo := w.expos[bcn]
	wuxiPavilion := w.pavilions["wuxi-pavilion"].ID
	d, err := s.DelegationCreate(ctx, expodesk.Delegation{
		ExpoID: expo.ID, Name: expodesk.Text{ZH: "无锡市政府代表团", EN: "Wuxi Municipal Government Delegation",
			ES: "Delegación del Gobierno Municipal de Wuxi"},
		Origin: "无锡市人民政府 (Wuxi Municipal Government)", Kind: expodesk.KindGovernment, Leader: "王伟",
		HomeTimeZone: "Asia/Shanghai", Lang: expodesk.ZH,
		ArrivesAt: at(expo, -1, 16, 20), DepartsAt: at(expo, 3, 11, 0),
		Status: expodesk.DelegationConfirmed, HostPavilionID: &wuxiPavilion,
		Sectors: []string{"internet-of-vehicles", "smart-city", "sensors", "agriculture"},
		Notes:   "Schengen visas: invitation letters issued by the IOTSWC organizers; one still requested. Two cars for transfers between the hotel and Fira Gran Via.",
	})
	if err != nil {
		return err
	}
	if err := addMembers(ctx, s, d.ID, []member{
		{"王", "伟", expodesk.NameEastern, "副秘书长", "无锡市人民政府", "wang.wei@wuxi-delegation.example", expodesk.ProtocolHead, expodesk.LetterIssued},
		{"陈", "静", expodesk.NameEastern, "副局长", "无锡市工业和信息化局", "", expodesk.ProtocolDeputy, expodesk.LetterIssued},
		{"刘", "洋", expodesk.NameEastern, "区长助理", "无锡市新吴区人民政府", "", expodesk.ProtocolMember, expodesk.LetterIssued},
		{"欧阳", "晓明", expodesk.NameEastern, "处长", "无锡市商务局", "", expodesk.ProtocolMember, expodesk.LetterRequested},
		{"张", "敏", expodesk.NameEastern, "主任", "无锡市新吴区投资促进中心", "", expodesk.ProtocolMember, expodesk.LetterIssued},
		{"李", "娜", expodesk.NameEastern, "翻译", "无锡市人民政府外事办公室", "", expodesk.ProtocolInterpreter, expodesk.LetterIssued},
		{"周", "磊", expodesk.NameEastern, "工作人员", "无锡市人民政府办公室", "", expodesk.ProtocolStaff, expodesk.LetterIssued},
	}); err != nil {
		return err
	}

	sensing := w.exhibitors["sensorica-mediterrania"].ID
	items := []expodesk.ItineraryItem{
		{Kind: expodesk.ItineraryOther, StartsAt: at(expo, -1, 16, 20), EndsAt: at(expo, -1, 17, 30),
			Title: "抵达巴塞罗那埃尔普拉特机场", Location: "Aeropuerto Josep Tarradellas Barcelona-El Prat, T1"},
		{Kind: expodesk.ItineraryVisit, StartsAt: at(expo, 0, 10, 0), EndsAt: at(expo, 0, 11, 0), PavilionID: &wuxiPavilion,
			Title: "出席无锡馆开馆仪式并参观展馆", Location: "Hall 2"},
		{Kind: expodesk.ItineraryVisit, StartsAt: at(expo, 0, 15, 0), EndsAt: at(expo, 0, 15, 45), ExhibitorID: &sensing,
			Title: "参观地中海传感展位", Location: "Hall 3, 3-C12", Notes: "智慧农业传感器，可与宜兴茶园项目对接。"},
		{Kind: expodesk.ItineraryOther, StartsAt: at(expo, 1, 12, 30), EndsAt: at(expo, 1, 14, 0),
			Title: "与IOTSWC组委会工作午餐", Location: "Fira Gran Via, VIP Lounge"},
	}
	// The delegation sits in on a Wuxi company's roadshow after the opening.
	if sl, b, ok := w.bookedSlot(wuxiStage, 0, 11); ok {
		items = append(items, expodesk.ItineraryItem{Kind: expodesk.ItineraryRoadshow,
			StartsAt: sl.StartsAt, EndsAt: sl.EndsAt, PavilionID: &wuxiPavilion, ExhibitorID: &b.ExhibitorID, SlotID: &sl.ID,
			Title: "无锡馆路演：" + b.Title, Location: w.stages[wuxiStage].Location.In(expodesk.ZH)})
	}
	if err := addItems(ctx, s, d.ID, items); err != nil {
		return err
	}

	// Meetings fall outside roadshow hours (before 10:00, after 17:30), so
	// they never clash with the exhibitors' own presentations.
	return addMeetings(ctx, s, d.ID, []expodesk.Meeting{
		{ExhibitorID: w.exhibitors["via-conectada"].ID, StartsAt: at(expo, 1, 17, 45), EndsAt: at(expo, 1, 18, 30),
			Location: "Hall 3, 3-D03", Topic: "Valencia–Wuxi connected-vehicle pilot: C-ITS and C-V2X interoperability",
			Status: expodesk.MeetingAccepted, ResponseNote: "Con mucho gusto. Tendremos un intérprete de chino en el estand.",
			RespondedAt: ptr(now.Add(-50 * time.Hour))},
		{ExhibitorID: w.exhibitors["llum-urbana"].ID, StartsAt: at(expo, 2, 9, 15), EndsAt: at(expo, 2, 9, 45),
			Location: "Hall 3, 3-D05", Topic: "Smart street lighting for Xinwu District's new roads",
			Status: expodesk.MeetingRequested},
	})
}

func loadBarcelonaMission(ctx context.Context, s *postgres.Store, w *world, now time.Time) error {
	expo := w.expos[wx]
	europe := w.pavilions["european-pavilion"].ID
	d, err := s.DelegationCreate(ctx, expodesk.Delegation{
		ExpoID: expo.ID, Name: expodesk.Text{ES: "Misión empresarial IoT Barcelona–Wuxi", EN: "Barcelona–Wuxi IoT business mission",
			ZH: "巴塞罗那–无锡物联网商务代表团"},
		Origin: "Asociación Mediterránea de Comercio IoT (Barcelona)", Kind: expodesk.KindBusiness, Leader: "Marc Tarragó",
		HomeTimeZone: "Europe/Madrid", Lang: expodesk.ES,
		ArrivesAt: at(expo, -1, 9, 30), DepartsAt: at(expo, 2, 22, 0),
		Status: expodesk.DelegationPlanned, HostPavilionID: &europe,
		Sectors: []string{"sensors", "internet-of-vehicles", "energy"},
		Notes:   "Visados: cartas de invitación del comité organizador de Wuxi. Hotel en Wuxi, distrito de Binhu.",
	})
	if err != nil {
		return err
	}
	if err := addMembers(ctx, s, d.ID, []member{
		{"Tarragó", "Marc", expodesk.NameWestern, "Presidente", "Asociación Mediterránea de Comercio IoT", "marc.tarrago@mediterranean-iot.example", expodesk.ProtocolHead, expodesk.LetterIssued},
		{"Ferrer", "Laia", expodesk.NameWestern, "Directora de Internacionalización", "Asociación Mediterránea de Comercio IoT", "laia.ferrer@mediterranean-iot.example", expodesk.ProtocolDeputy, expodesk.LetterIssued},
		{"Casals", "Jordi", expodesk.NameWestern, "Consejero delegado", "Sensòrica Mediterrània, S.L.", "", expodesk.ProtocolMember, expodesk.LetterIssued},
		{"Ruiz Montero", "Elena", expodesk.NameWestern, "Directora de Desarrollo de Negocio", "Vía Conectada Movilidad, S.A.", "", expodesk.ProtocolMember, expodesk.LetterRequested},
		{"Zhao", "Xue", expodesk.NameEastern, "Intérprete", "Asociación Mediterránea de Comercio IoT", "", expodesk.ProtocolInterpreter, expodesk.LetterNotNeeded},
		{"Vidal", "Núria", expodesk.NameWestern, "Coordinadora de la misión", "Asociación Mediterránea de Comercio IoT", "", expodesk.ProtocolStaff, expodesk.LetterIssued},
	}); err != nil {
		return err
	}

	chengbo := w.exhibitors["chengbo-sensing"].ID
	items := []expodesk.ItineraryItem{
		{Kind: expodesk.ItineraryOther, StartsAt: at(expo, -1, 9, 30), EndsAt: at(expo, -1, 12, 0),
			Title: "Llegada a Shanghái-Pudong y traslado a Wuxi", Location: "上海浦东国际机场 T2"},
		{Kind: expodesk.ItineraryOther, StartsAt: at(expo, 0, 9, 0), EndsAt: at(expo, 0, 9, 45),
			Title: "Ceremonia de inauguración de la World IoT Expo", Location: "太湖国际博览中心, 主会场"},
		{Kind: expodesk.ItineraryVisit, StartsAt: at(expo, 0, 11, 0), EndsAt: at(expo, 0, 12, 0), PavilionID: &europe,
			Title: "Visita al Pabellón Europeo", Location: "Hall A3"},
		{Kind: expodesk.ItineraryVisit, StartsAt: at(expo, 1, 10, 0), EndsAt: at(expo, 1, 11, 0), ExhibitorID: &chengbo,
			Title: "Visita al estand de Chengbo Sensing", Location: "Hall B1, B1-08",
			Notes: "Sensores MEMS para redes de agua; expusieron también en Barcelona."},
	}
	if sl, b, ok := w.bookedSlot(europeStage, 0, 14); ok {
		items = append(items, expodesk.ItineraryItem{Kind: expodesk.ItineraryRoadshow,
			StartsAt: sl.StartsAt, EndsAt: sl.EndsAt, PavilionID: &europe, ExhibitorID: &b.ExhibitorID, SlotID: &sl.ID,
			Title: "Roadshow: " + b.Title, Location: w.stages[europeStage].Location.In(expodesk.ES)})
	}
	if err := addItems(ctx, s, d.ID, items); err != nil {
		return err
	}
	return addMeetings(ctx, s, d.ID, []expodesk.Meeting{
		{ExhibitorID: w.exhibitors["yunzhe-connected-vehicles"].ID, StartsAt: at(expo, 1, 17, 45), EndsAt: at(expo, 1, 18, 30),
			Location: "Hall B1, B1-15", Topic: "Pilotos de vehículo conectado entre Valencia y Wuxi",
			Status: expodesk.MeetingRequested},
		{ExhibitorID: w.exhibitors["ruidian-ev-charging"].ID, StartsAt: at(expo, 2, 9, 15), EndsAt: at(expo, 2, 9, 45),
			Location: "Hall B1, B1-23", Topic: "Gestión de carga para electrolineras en polígonos industriales",
			Status: expodesk.MeetingDeclined, ResponseNote: "抱歉，展会最后一天我们的技术团队不在现场，欢迎第二天下午来展位交流。",
			RespondedAt: ptr(now.Add(-26 * time.Hour))},
	})
}

func addMembers(ctx context.Context, s *postgres.Store, delegationID int64, members []member) error {
	for i, m := range members {
		if _, err := s.DelegationMemberCreate(ctx, expodesk.DelegationMember{
			DelegationID: delegationID,
			PersonName:   expodesk.PersonName{FamilyName: m.family, GivenName: m.given, NameOrder: m.order},
			Title:        m.title, Organisation: m.org, Email: m.email,
			ProtocolRole: m.role, LetterStatus: m.letter, Position: i + 1,
		}); err != nil {
			return fmt.Errorf("member %s %s: %w", m.family, m.given, err)
		}
	}
	return nil
}

func addItems(ctx context.Context, s *postgres.Store, delegationID int64, items []expodesk.ItineraryItem) error {
	for _, it := range items {
		it.DelegationID = delegationID
		if _, err := s.ItineraryItemCreate(ctx, it); err != nil {
			return fmt.Errorf("itinerary item %q: %w", it.Title, err)
		}
	}
	return nil
}

func addMeetings(ctx context.Context, s *postgres.Store, delegationID int64, meetings []expodesk.Meeting) error {
	for _, m := range meetings {
		m.DelegationID = delegationID
		if _, err := s.MeetingCreate(ctx, m, nil); err != nil {
			return fmt.Errorf("meeting: %w", err)
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
