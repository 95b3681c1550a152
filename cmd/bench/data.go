package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"expodesk/internal/expodesk"
	"expodesk/internal/postgres"
)

// The generated data set: two sister expos, as in the demo, and n fictional
// exhibitors. The distribution (for n = 10,000):
//
//   - 40 % Chinese companies, two thirds of them from Wuxi; 25 % Spanish; 35 %
//     from 16 other countries.
//   - At iotswc-2027 (the measured expo): 95 % of the Wuxi companies in the
//     wuxi-pavilion, 60 % of the other Chinese ones in the china-pavilion,
//     90 % of the Spanish ones (70 % of those in the spain-pavilion), 85 % of
//     the rest (European ones half in the europe-pavilion), the others in no
//     pavilion.
//   - At wiot-2027: 70 % of the Chinese companies (no pavilion), 20 % of the
//     Spanish and 15 % of the others (Europeans in the european-pavilion).
//   - Every participation is approved with probability 0.85; the rest is
//     applied, invited, rejected or withdrawn, which the directory must skip.
//   - Names and descriptions: Chinese companies always in Chinese and English,
//     30 % also in Spanish; Spanish ones in Spanish and English, 20 % also in
//     Chinese; the others in English, 30 % also Spanish, 10 % also Chinese.
//   - Descriptions name two of 32 products for two of 12 applications; the
//     sectors follow from the products.
//   - Three stages of 48 roadshow slots (three days, 30 minutes each), 75 %
//     booked by approved exhibitors of the stage's pavilion or expo.
//
// The generator is seeded, so every run makes the same rows.
const (
	benchExpo     = "iotswc-2027"
	benchSister   = "wiot-2027"
	benchPavilion = "wuxi-pavilion"
)

// dataset is what generate made, for the report and the URLs to load.
type dataset struct {
	Exhibitors    int
	Expo          expodesk.Expo
	Pavilion      expodesk.Pavilion
	ExhibitorSlug string // the exhibitor whose page is measured
	Summary       []participationCount
	Languages     languageCount
	Sectors       int
	Slots         int
	Bookings      int
	Took          time.Duration
}

type participationCount struct {
	Expo     string
	Pavilion string
	Approved int
	Total    int
}

type languageCount struct{ NameEN, NameZH, NameES, DescEN, DescZH, DescES int }

type text3 struct{ en, zh, es string }

type product struct {
	text3
	sectors []string
}

var products = []product{
	{text3{"MEMS pressure sensors", "MEMS压力传感器", "sensores de presión MEMS"}, []string{"sensors"}},
	{text3{"gas sensors", "气体传感器", "sensores de gases"}, []string{"sensors"}},
	{text3{"infrared thermal sensors", "红外热成像传感器", "sensores térmicos infrarrojos"}, []string{"sensors"}},
	{text3{"LoRaWAN gateways", "LoRaWAN网关", "pasarelas LoRaWAN"}, []string{"connectivity"}},
	{text3{"NB-IoT modules", "NB-IoT模组", "módulos NB-IoT"}, []string{"connectivity"}},
	{text3{"5G private networks", "5G专网", "redes privadas 5G"}, []string{"connectivity"}},
	{text3{"edge computing platforms", "边缘计算平台", "plataformas de computación en el borde"}, []string{"cloud"}},
	{text3{"IoT cloud platforms", "物联网云平台", "plataformas IoT en la nube"}, []string{"cloud"}},
	{text3{"digital twin software", "数字孪生软件", "software de gemelo digital"}, []string{"industrial-internet"}},
	{text3{"predictive maintenance systems", "预测性维护系统", "sistemas de mantenimiento predictivo"}, []string{"industrial-internet", "ai"}},
	{text3{"industrial vision cameras", "工业视觉相机", "cámaras de visión industrial"}, []string{"industrial-internet"}},
	{text3{"PLC and SCADA retrofits", "PLC与SCADA改造", "modernización de PLC y SCADA"}, []string{"industrial-internet"}},
	{text3{"V2X roadside units", "V2X路侧单元", "unidades de carretera V2X"}, []string{"internet-of-vehicles"}},
	{text3{"fleet telematics", "车队远程信息处理", "telemática de flotas"}, []string{"internet-of-vehicles", "logistics"}},
	{text3{"EV charging controllers", "电动汽车充电控制器", "controladores de carga para vehículos eléctricos"}, []string{"internet-of-vehicles", "energy"}},
	{text3{"smart street lighting", "智慧路灯", "alumbrado público inteligente"}, []string{"smart-city", "energy"}},
	{text3{"parking guidance systems", "停车诱导系统", "sistemas de guiado de aparcamiento"}, []string{"smart-city"}},
	{text3{"smart door locks", "智能门锁", "cerraduras inteligentes"}, []string{"smart-home", "security"}},
	{text3{"home energy gateways", "家庭能源网关", "pasarelas de energía doméstica"}, []string{"smart-home", "energy"}},
	{text3{"AI inference chips", "AI推理芯片", "chips de inferencia de IA"}, []string{"ai", "integrated-circuits"}},
	{text3{"video analytics", "视频分析", "analítica de vídeo"}, []string{"ai", "security"}},
	{text3{"low-power microcontrollers", "低功耗微控制器", "microcontroladores de bajo consumo"}, []string{"integrated-circuits"}},
	{text3{"RFID tags and readers", "RFID标签与读写器", "etiquetas y lectores RFID"}, []string{"integrated-circuits", "logistics"}},
	{text3{"smart meters", "智能电表", "contadores inteligentes"}, []string{"energy"}},
	{text3{"battery management systems", "电池管理系统", "sistemas de gestión de baterías"}, []string{"energy"}},
	{text3{"OT cybersecurity", "工控网络安全", "ciberseguridad industrial"}, []string{"security", "industrial-internet"}},
	{text3{"device identity and PKI", "设备身份与PKI", "identidad de dispositivos y PKI"}, []string{"security"}},
	{text3{"remote patient monitoring", "远程病人监护", "monitorización remota de pacientes"}, []string{"healthcare"}},
	{text3{"cold-chain trackers", "冷链追踪器", "rastreadores de cadena de frío"}, []string{"logistics", "sensors"}},
	{text3{"precision irrigation controllers", "精准灌溉控制器", "controladores de riego de precisión"}, []string{"agriculture"}},
	{text3{"soil moisture probes", "土壤湿度探头", "sondas de humedad del suelo"}, []string{"agriculture", "sensors"}},
	{text3{"water quality monitors", "水质监测仪", "monitores de calidad del agua"}, []string{"sensors", "smart-city"}},
}

var applications = []text3{
	{"smart cities", "智慧城市", "ciudades inteligentes"},
	{"factories", "工厂", "fábricas"},
	{"ports and logistics", "港口与物流", "puertos y logística"},
	{"hospitals", "医院", "hospitales"},
	{"farms", "农场", "explotaciones agrícolas"},
	{"connected vehicles", "智能网联汽车", "vehículos conectados"},
	{"homes and buildings", "住宅与楼宇", "viviendas y edificios"},
	{"power grids", "电网", "redes eléctricas"},
	{"water utilities", "水务", "empresas de agua"},
	{"retail", "零售", "comercio minorista"},
	{"railways", "轨道交通", "ferrocarriles"},
	{"mines", "矿山", "minas"},
}

// closings are printf formats taking one number.
var closings = []text3{
	{"Deployed in more than %d projects.", "已在%d多个项目中部署。", "Implantado en más de %d proyectos."},
	{"Founded in %d.", "成立于%d年。", "Fundada en %d."},
	{"A team of %d engineers.", "拥有%d名工程师。", "Un equipo de %d ingenieros."},
}

// Chinese company names: [district] + two brand characters + a kind.
var (
	wuxiDistricts = []text3{{"Taihu", "太湖", ""}, {"Xishan", "锡山", ""}, {"Huishan", "惠山", ""}, {"Binhu", "滨湖", ""},
		{"Liangxi", "梁溪", ""}, {"Xinwu", "新吴", ""}, {"Jiangyin", "江阴", ""}, {"Yixing", "宜兴", ""}, {"Lihu", "蠡湖", ""}}
	brandChars = []text3{{"heng", "恒", ""}, {"xin", "芯", ""}, {"hua", "华", ""}, {"yuan", "远", ""}, {"zhi", "智", ""},
		{"lian", "联", ""}, {"rui", "瑞", ""}, {"da", "达", ""}, {"tong", "通", ""}, {"bo", "博", ""}, {"chuang", "创", ""},
		{"tian", "天", ""}, {"an", "安", ""}, {"xing", "星", ""}, {"wei", "微", ""}, {"gan", "感", ""}, {"yun", "云", ""},
		{"xin", "信", ""}, {"rui", "锐", ""}, {"hang", "航", ""}, {"sheng", "晟", ""}, {"hong", "宏", ""}, {"li", "立", ""},
		{"de", "德", ""}, {"hai", "海", ""}, {"teng", "腾", ""}, {"si", "思", ""}, {"ming", "明", ""}, {"guang", "光", ""},
		{"jing", "精", ""}, {"kang", "康", ""}, {"feng", "丰", ""}}
	chineseKinds = []text3{{"Technology", "科技", "Tecnología"}, {"Intelligent Systems", "智能", "Sistemas Inteligentes"},
		{"Electronics", "电子", "Electrónica"}, {"Microelectronics", "微电子", "Microelectrónica"},
		{"Sensing", "传感技术", "Sensores"}, {"IoT", "物联网", "IoT"}, {"Information Technology", "信息技术", "Tecnologías de la Información"},
		{"Data", "数据", "Datos"}, {"Automation", "自动化", "Automatización"}, {"New Energy", "新能源", "Nuevas Energías"}}
	chineseCities = []text3{{"Suzhou", "苏州", ""}, {"Shanghai", "上海", ""}, {"Shenzhen", "深圳", ""}, {"Hangzhou", "杭州", ""},
		{"Nanjing", "南京", ""}, {"Beijing", "北京", ""}, {"Hefei", "合肥", ""}, {"Changzhou", "常州", ""}}
)

// Latin company names: a root and an ending make the brand (the Chinese
// column is its transliteration), followed by a kind.
var (
	spanishRoots = []text3{{"Sensi", "森思", ""}, {"Data", "达塔", ""}, {"Ciber", "赛博", ""}, {"Electro", "伊莱", ""},
		{"Tele", "特莱", ""}, {"Domo", "多莫", ""}, {"Agro", "阿格", ""}, {"Ener", "艾纳", ""}, {"Logi", "洛吉", ""},
		{"Nubo", "努博", ""}, {"Info", "因弗", ""}, {"Geo", "吉奥", ""}, {"Robo", "罗博", ""}, {"Aqua", "阿夸", ""},
		{"Urba", "乌尔巴", ""}, {"Vía", "维亚", ""}, {"Médi", "梅迪", ""}, {"Señal", "塞尼亚", ""}}
	spanishEndings = []text3{{"tec", "泰克", ""}, {"lab", "拉博", ""}, {"net", "网", ""}, {"nova", "诺瓦", ""},
		{"sys", "西斯", ""}, {"grid", "格瑞", ""}, {"link", "林克", ""}, {"mática", "马蒂卡", ""}, {"ia", "亚", ""}, {"ón", "昂", ""}}
	spanishKinds = []text3{{"Solutions", "解决方案", "Soluciones"}, {"Systems", "系统", "Sistemas"},
		{"Technologies", "科技", "Tecnologías"}, {"Engineering", "工程", "Ingeniería"}, {"Devices", "设备", "Dispositivos"},
		{"Networks", "网络", "Redes"}, {"Analytics", "分析", "Analítica"}, {"Robotics", "机器人", "Robótica"}}
	spanishCities = []string{"Barcelona", "Madrid", "Valencia", "Sevilla", "Bilbao", "Zaragoza", "Málaga", "Girona",
		"Tarragona", "Lleida", "Vigo", "Donostia"}
	otherRoots = []text3{{"Senso", "森索", ""}, {"Quantum", "量子", ""}, {"Vector", "维克特", ""}, {"Nexa", "奈克萨", ""},
		{"Helio", "赫利奥", ""}, {"Axon", "艾克森", ""}, {"Lumen", "流明", ""}, {"Orbit", "奥比特", ""}, {"Pulse", "脉冲", ""},
		{"Terra", "泰拉", ""}, {"Volt", "沃尔特", ""}, {"Cobalt", "钴", ""}, {"Kine", "凯恩", ""}, {"Opti", "奥普蒂", ""},
		{"Strato", "斯特拉托", ""}, {"Trace", "特雷斯", ""}}
	otherEndings = []text3{{"ly", "利", ""}, {"io", "欧", ""}, {"wave", "波", ""}, {"core", "核", ""}, {"mind", "迈德", ""},
		{"point", "点", ""}, {"ware", "维尔", ""}, {"sense", "感知", ""}, {"labs", "实验室", ""}, {"flow", "流", ""}}
)

type country struct {
	code, form, phone string
	european          bool
	cities            []string
}

var otherCountries = []country{
	{"DE", "GmbH", "+49 30", true, []string{"Berlin", "München", "Hamburg", "Stuttgart"}},
	{"FR", "SAS", "+33 1", true, []string{"Paris", "Lyon", "Toulouse", "Grenoble"}},
	{"IT", "S.r.l.", "+39 02", true, []string{"Milano", "Torino", "Bologna"}},
	{"NL", "B.V.", "+31 20", true, []string{"Amsterdam", "Eindhoven", "Rotterdam"}},
	{"GB", "Ltd", "+44 20", true, []string{"London", "Cambridge", "Manchester"}},
	{"PT", "Lda.", "+351 21", true, []string{"Lisboa", "Porto"}},
	{"FI", "Oy", "+358 9", true, []string{"Helsinki", "Oulu"}},
	{"SE", "AB", "+46 8", true, []string{"Stockholm", "Göteborg"}},
	{"PL", "sp. z o.o.", "+48 22", true, []string{"Warszawa", "Kraków"}},
	{"AT", "GmbH", "+43 1", true, []string{"Wien", "Graz"}},
	{"DK", "ApS", "+45 33", true, []string{"København", "Aarhus"}},
	{"IE", "Ltd", "+353 1", true, []string{"Dublin", "Cork"}},
	{"US", "Inc.", "+1 617", false, []string{"Boston", "Austin", "San Jose"}},
	{"KR", "Co., Ltd.", "+82 2", false, []string{"Seoul", "Seongnam"}},
	{"JP", "K.K.", "+81 3", false, []string{"Tokyo", "Osaka"}},
	{"SG", "Pte. Ltd.", "+65 6", false, []string{"Singapore"}},
}

type origin int

const (
	fromWuxi origin = iota
	fromChina
	fromSpain
	fromElsewhere
)

// company is one generated exhibitor and where it exhibits.
type company struct {
	expodesk.Exhibitor
	origin   origin
	european bool
	products []int
}

// plan is a participation before the ids are known.
type plan struct {
	company  int // index into the companies
	expo     string
	pavilion string // "" for none
	status   expodesk.ParticipationStatus
}

type generator struct {
	r     *rand.Rand
	slugs map[string]int
}

func (g *generator) pick(n int) int        { return g.r.IntN(n) }
func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

// slug makes a unique slug from a name, numbering repeats.
func (g *generator) slug(name string) string {
	base := expodesk.Slugify(name)
	if len(base) > 70 {
		base = strings.Trim(base[:70], "-")
	}
	g.slugs[base]++
	if n := g.slugs[base]; n > 1 {
		return fmt.Sprintf("%s-%d", base, n)
	}
	return base
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (g *generator) company() company {
	var c company
	switch n := g.pick(100); {
	case n < 40:
		c = g.chinese()
	case n < 65:
		c = g.spanish()
	default:
		c = g.other()
	}
	// Wuxi is the "sensor city": its companies lean to sensing products.
	first := g.pick(len(products))
	if c.origin == fromWuxi && g.chance(0.4) {
		first = g.pick(3)
	}
	second := g.pick(len(products))
	for second == first {
		second = g.pick(len(products))
	}
	c.products = []int{first, second}
	seen := map[string]bool{}
	for _, p := range c.products {
		for _, s := range products[p].sectors {
			if !seen[s] {
				seen[s] = true
				c.Sectors = append(c.Sectors, s)
			}
		}
	}
	a1 := applications[g.pick(len(applications))]
	a2 := applications[g.pick(len(applications))]
	for a2 == a1 {
		a2 = applications[g.pick(len(applications))]
	}
	p1, p2 := products[first], products[second]
	k := g.pick(len(closings))
	closing := closings[k]
	num := []int{20 + g.pick(480), 1995 + g.pick(30), 8 + g.pick(300)}[k]
	desc := expodesk.Text{}
	if c.Name.EN != "" {
		desc.EN = fmt.Sprintf("%s and %s for %s and %s. "+closing.en, capitalize(p1.en), p2.en, a1.en, a2.en, num)
	}
	if c.Name.ZH != "" {
		desc.ZH = fmt.Sprintf("为%s和%s提供%s与%s。"+closing.zh, a1.zh, a2.zh, p1.zh, p2.zh, num)
	}
	if c.Name.ES != "" {
		desc.ES = fmt.Sprintf("%s y %s para %s y %s. "+closing.es, capitalize(p1.es), p2.es, a1.es, a2.es, num)
	}
	c.Description = desc
	c.Slug = g.slug(c.Name.EN)
	c.Website = "https://www." + c.Slug + ".example"
	c.Email = "info@" + c.Slug + ".example"
	return c
}

func (g *generator) chinese() company {
	c := company{origin: fromChina}
	b1 := brandChars[g.pick(len(brandChars))]
	b2 := brandChars[g.pick(len(brandChars))]
	for b2.zh == b1.zh {
		b2 = brandChars[g.pick(len(brandChars))]
	}
	kind := chineseKinds[g.pick(len(chineseKinds))]
	brandZH, brandPY := b1.zh+b2.zh, capitalize(b1.en+b2.en)
	city := text3{"Wuxi", "无锡", ""}
	if g.chance(0.65) {
		c.origin = fromWuxi
		if g.chance(0.5) {
			d := wuxiDistricts[g.pick(len(wuxiDistricts))]
			brandZH, brandPY = d.zh+brandZH, d.en+" "+brandPY
		}
	} else {
		city = chineseCities[g.pick(len(chineseCities))]
	}
	c.Name = expodesk.Text{EN: brandPY + " " + kind.en, ZH: brandZH + kind.zh}
	if g.chance(0.3) {
		c.Name.ES = brandPY + " " + kind.es
	}
	c.LegalName = city.zh + brandZH + kind.zh + "有限公司"
	c.Country, c.City = "CN", city.en
	c.Phone = fmt.Sprintf("+86 510 8%07d", g.pick(10_000_000))
	return c
}

func (g *generator) spanish() company {
	c := company{origin: fromSpain, european: true}
	root, end := spanishRoots[g.pick(len(spanishRoots))], spanishEndings[g.pick(len(spanishEndings))]
	kind := spanishKinds[g.pick(len(spanishKinds))]
	brand := root.en + end.en
	c.Name = expodesk.Text{EN: brand + " " + kind.en, ES: brand + " " + kind.es}
	if g.chance(0.2) {
		c.Name.ZH = root.zh + end.zh + kind.zh
	}
	form := ", S.L."
	if g.chance(0.2) {
		form = ", S.A."
	}
	c.LegalName = brand + " " + kind.es + form
	c.Country, c.City = "ES", spanishCities[g.pick(len(spanishCities))]
	c.Phone = fmt.Sprintf("+34 9%d %03d %02d %02d", g.pick(10), g.pick(1000), g.pick(100), g.pick(100))
	return c
}

func (g *generator) other() company {
	c := company{origin: fromElsewhere}
	cn := otherCountries[g.pick(len(otherCountries))]
	root, end := otherRoots[g.pick(len(otherRoots))], otherEndings[g.pick(len(otherEndings))]
	brand := root.en + end.en
	c.Name = expodesk.Text{EN: brand}
	if g.chance(0.3) {
		c.Name.ES = brand
	}
	if g.chance(0.1) {
		c.Name.ZH = root.zh + end.zh
	}
	c.LegalName = brand + " " + cn.form
	c.Country, c.City, c.european = cn.code, cn.cities[g.pick(len(cn.cities))], cn.european
	c.Phone = fmt.Sprintf("%s %07d", cn.phone, g.pick(10_000_000))
	return c
}

func (g *generator) status() expodesk.ParticipationStatus {
	switch n := g.pick(100); {
	case n < 85:
		return expodesk.StatusApproved
	case n < 91:
		return expodesk.StatusApplied
	case n < 95:
		return expodesk.StatusInvited
	case n < 98:
		return expodesk.StatusRejected
	default:
		return expodesk.StatusWithdrawn
	}
}

// plans decides where company i exhibits.
func (g *generator) plans(i int, c company) []plan {
	var out []plan
	add := func(expo, pavilion string) {
		out = append(out, plan{company: i, expo: expo, pavilion: pavilion, status: g.status()})
	}
	switch c.origin {
	case fromWuxi:
		if g.chance(0.95) {
			add(benchExpo, benchPavilion)
		}
	case fromChina:
		if g.chance(0.6) {
			add(benchExpo, "china-pavilion")
		}
	case fromSpain:
		if g.chance(0.9) {
			if g.chance(0.7) {
				add(benchExpo, "spain-pavilion")
			} else {
				add(benchExpo, "")
			}
		}
	case fromElsewhere:
		if g.chance(0.85) {
			if c.european && g.chance(0.5) {
				add(benchExpo, "europe-pavilion")
			} else {
				add(benchExpo, "")
			}
		}
	}
	switch {
	case c.origin == fromWuxi || c.origin == fromChina:
		if g.chance(0.7) {
			add(benchSister, "")
		}
	case c.origin == fromSpain && g.chance(0.2), c.origin == fromElsewhere && g.chance(0.15):
		if c.european {
			add(benchSister, "european-pavilion")
		} else {
			add(benchSister, "")
		}
	}
	return out
}

// generate fills an empty, migrated database with n exhibitors and the expos,
// pavilions, stages and slots around them, then vacuums and analyzes it so
// that the planner and the visibility map are what a settled database has.
func generate(ctx context.Context, url string, n int) (dataset, error) {
	start := time.Now()
	ds := dataset{Exhibitors: n}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return ds, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	g := &generator{r: rand.New(rand.NewPCG(2027, 511)), slugs: map[string]int{}}
	companies := make([]company, n)
	var plans []plan
	for i := range companies {
		companies[i] = g.company()
		plans = append(plans, g.plans(i, companies[i])...)
	}

	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		store := postgres.New(tx, nil)
		expos, pavilions, err := createExpos(ctx, store)
		if err != nil {
			return err
		}
		ds.Expo, ds.Pavilion = expos[benchExpo], pavilions[benchExpo+"/"+benchPavilion]

		rows := make([][]any, len(companies))
		for i, c := range companies {
			// COPY computes no Chinese sort key; it goes in with the row,
			// as the store computes it on any write (filling it afterwards
			// with an UPDATE took a quarter of an hour for 100,000 rows).
			rows[i] = []any{c.Slug, c.LegalName, c.Name, c.Description, c.Country, c.City, c.Website, c.Email, c.Phone,
				postgres.ExhibitorSortKey(c.Slug, c.LegalName, c.Name)}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"exhibitor"},
			[]string{"slug", "legal_name", "name", "description", "country", "city", "website", "email", "phone", "sort_zh"},
			pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copy exhibitors: %w", err)
		}
		// Nothing is left unsorted; this only checks (it fills any row the COPY missed).
		if err := store.ExhibitorSortKeysFill(ctx); err != nil {
			return fmt.Errorf("sort keys: %w", err)
		}
		ids := map[string]int64{}
		idRows, err := tx.Query(ctx, `SELECT id, slug FROM exhibitor`)
		if err != nil {
			return fmt.Errorf("read exhibitor ids: %w", err)
		}
		var id int64
		var slug string
		if _, err := pgx.ForEachRow(idRows, []any{&id, &slug}, func() error { ids[slug] = id; return nil }); err != nil {
			return fmt.Errorf("read exhibitor ids: %w", err)
		}
		for i := range companies {
			companies[i].ID = ids[companies[i].Slug]
		}

		rows = rows[:0]
		for _, c := range companies {
			for _, s := range c.Sectors {
				rows = append(rows, []any{c.ID, s})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"exhibitor_sector"}, []string{"exhibitor_id", "sector_code"},
			pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copy sectors: %w", err)
		}

		// Booths go to approved participations only, numbered per pavilion.
		booths := map[string]int{}
		hall := map[string]string{benchPavilion: "2W", "china-pavilion": "3C", "spain-pavilion": "1S",
			"europe-pavilion": "4E", "european-pavilion": "AE", "": "5G"}
		approved := map[string][]int64{} // expo/pavilion → approved exhibitor ids, for bookings
		rows = rows[:0]
		for _, p := range plans {
			var pavilionID *int64
			if p.pavilion != "" {
				pid := pavilions[p.expo+"/"+p.pavilion].ID
				pavilionID = &pid
			}
			booth := ""
			if p.status == expodesk.StatusApproved {
				key := p.expo + "/" + p.pavilion
				booths[key]++
				booth = fmt.Sprintf("%s-%04d", hall[p.pavilion], booths[key])
				approved[key] = append(approved[key], companies[p.company].ID)
				approved[p.expo+"/*"] = append(approved[p.expo+"/*"], companies[p.company].ID)
			}
			rows = append(rows, []any{expos[p.expo].ID, companies[p.company].ID, pavilionID, booth, string(p.status)})
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"participation"},
			[]string{"expo_id", "exhibitor_id", "pavilion_id", "booth", "status"}, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copy participations: %w", err)
		}
		ds.Slots, ds.Bookings, err = createAgenda(ctx, tx, store, g, expos, pavilions, approved, companies)
		return err
	})
	if err != nil {
		return ds, err
	}
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return ds, fmt.Errorf("vacuum analyze: %w", err)
	}
	ds.Took = time.Since(start)
	return ds, describe(ctx, conn, &ds)
}

func createExpos(ctx context.Context, s *postgres.Store) (map[string]expodesk.Expo, map[string]expodesk.Pavilion, error) {
	expos := map[string]expodesk.Expo{}
	pavilions := map[string]expodesk.Pavilion{}
	madrid := time.FixedZone("CET", 3600)
	opens := time.Date(2027, 1, 15, 9, 0, 0, 0, madrid)
	for _, e := range []expodesk.Expo{{
		Slug: benchExpo,
		Name: expodesk.Text{EN: "IoT Solutions World Congress 2027", ZH: "2027物联网解决方案世界大会", ES: "IoT Solutions World Congress 2027"},
		City: expodesk.Text{EN: "Barcelona", ZH: "巴塞罗那", ES: "Barcelona"}, Country: "ES",
		Venue:    expodesk.Text{EN: "Fira de Barcelona, Gran Via", ZH: "巴塞罗那会展中心 Gran Via 馆", ES: "Fira de Barcelona, recinto Gran Via"},
		TimeZone: "Europe/Madrid", FirstDay: day(2027, 5, 11), LastDay: day(2027, 5, 13), SlotQuota: 2, CancelHoursBefore: 48,
		Website: "https://www.iotsworldcongress.com/", BookingOpensAt: &opens,
	}, {
		Slug: benchSister,
		Name: expodesk.Text{EN: "World IoT Expo 2027", ZH: "2027世界物联网博览会", ES: "Exposición Mundial del IoT 2027"},
		City: expodesk.Text{EN: "Wuxi", ZH: "无锡", ES: "Wuxi"}, Country: "CN",
		Venue:    expodesk.Text{EN: "Wuxi Taihu International Expo Center", ZH: "无锡太湖国际博览中心", ES: "Centro Internacional de Exposiciones Taihu de Wuxi"},
		TimeZone: "Asia/Shanghai", FirstDay: day(2027, 10, 26), LastDay: day(2027, 10, 28), SlotQuota: 2, CancelHoursBefore: 48,
		BookingOpensAt: &opens,
	}} {
		created, err := s.ExpoCreate(ctx, e)
		if err != nil {
			return nil, nil, fmt.Errorf("create expo %s: %w", e.Slug, err)
		}
		expos[e.Slug] = created
	}
	if err := s.ExpoLinkSisters(ctx, expos[benchExpo].ID, expos[benchSister].ID); err != nil {
		return nil, nil, err
	}
	for i, pv := range []struct {
		expo string
		expodesk.Pavilion
	}{
		{benchExpo, expodesk.Pavilion{Slug: benchPavilion, Hall: "2",
			Name: expodesk.Text{EN: "Wuxi Pavilion", ZH: "无锡馆", ES: "Pabellón de Wuxi"},
			Host: expodesk.Text{EN: "Wuxi IoT industry partners", ZH: "无锡物联网产业伙伴", ES: "Socios de la industria IoT de Wuxi"},
			Description: expodesk.Text{EN: "Leading Wuxi companies in sensing, cloud computing, smart homes, smart cities and industrial manufacturing.",
				ZH: "无锡传感、云计算、智能家居、智慧城市与工业制造领域的领军企业。",
				ES: "Empresas líderes de Wuxi en sensores, computación en la nube, hogar y ciudad inteligentes y fabricación industrial."}}},
		{benchExpo, expodesk.Pavilion{Slug: "china-pavilion", Hall: "3",
			Name: expodesk.Text{EN: "China Pavilion", ZH: "中国馆", ES: "Pabellón de China"}}},
		{benchExpo, expodesk.Pavilion{Slug: "spain-pavilion", Hall: "1",
			Name: expodesk.Text{EN: "Spain Pavilion", ZH: "西班牙馆", ES: "Pabellón de España"}}},
		{benchExpo, expodesk.Pavilion{Slug: "europe-pavilion", Hall: "4",
			Name: expodesk.Text{EN: "European Pavilion", ZH: "欧洲馆", ES: "Pabellón Europeo"}}},
		{benchSister, expodesk.Pavilion{Slug: "european-pavilion", Hall: "A",
			Name: expodesk.Text{EN: "European Pavilion", ZH: "欧洲馆", ES: "Pabellón Europeo"}}},
	} {
		pv.ExpoID, pv.Position = expos[pv.expo].ID, i
		created, err := s.PavilionCreate(ctx, pv.Pavilion)
		if err != nil {
			return nil, nil, fmt.Errorf("create pavilion %s: %w", pv.Slug, err)
		}
		pavilions[pv.expo+"/"+pv.Slug] = created
	}
	return expos, pavilions, nil
}

// createAgenda makes three stages of 48 slots each and books three quarters
// of them, one slot per exhibitor.
func createAgenda(ctx context.Context, tx pgx.Tx, s *postgres.Store, g *generator, expos map[string]expodesk.Expo,
	pavilions map[string]expodesk.Pavilion, approved map[string][]int64, companies []company) (slots, bookings int, err error) {
	byID := map[int64]*company{}
	for i := range companies {
		byID[companies[i].ID] = &companies[i]
	}
	var rows [][]any
	for i, st := range []struct {
		expo, pavilion, slug string
		name                 expodesk.Text
	}{
		{benchExpo, benchPavilion, "wuxi-stage", expodesk.Text{EN: "Wuxi Pavilion Stage", ZH: "无锡馆路演台", ES: "Escenario del Pabellón de Wuxi"}},
		{benchExpo, "", "main-stage", expodesk.Text{EN: "Main Stage", ZH: "主舞台", ES: "Escenario principal"}},
		{benchSister, "european-pavilion", "european-stage", expodesk.Text{EN: "European Pavilion Stage", ZH: "欧洲馆路演台", ES: "Escenario del Pabellón Europeo"}},
	} {
		expo := expos[st.expo]
		stage := expodesk.Stage{ExpoID: expo.ID, Slug: st.slug, Name: st.name, Position: i}
		pool := approved[st.expo+"/*"]
		if st.pavilion != "" {
			pid := pavilions[st.expo+"/"+st.pavilion].ID
			stage.PavilionID = &pid
			pool = approved[st.expo+"/"+st.pavilion]
		}
		created, err := s.StageCreate(ctx, stage)
		if err != nil {
			return 0, 0, fmt.Errorf("create stage %s: %w", st.slug, err)
		}
		loc := expodesk.LoadLocation(expo.TimeZone)
		pool = append([]int64(nil), pool...)
		g.r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		for d := 0; d < 3; d++ {
			for k := 0; k < 16; k++ {
				first := expo.FirstDay.AddDate(0, 0, d)
				start := time.Date(first.Year(), first.Month(), first.Day(), 10, 0, 0, 0, loc).Add(time.Duration(k) * 30 * time.Minute)
				sl, err := s.SlotCreate(ctx, expodesk.Slot{StageID: created.ID, StartsAt: start, EndsAt: start.Add(25 * time.Minute)})
				if err != nil {
					return 0, 0, fmt.Errorf("create slot: %w", err)
				}
				slots++
				if len(pool) == 0 || !g.chance(0.75) {
					continue
				}
				c := byID[pool[0]]
				pool = pool[1:]
				p := products[c.products[0]]
				title, lang := "Live demo: "+p.en, "en"
				if c.Name.ZH != "" && c.origin != fromElsewhere && c.origin != fromSpain {
					title, lang = p.zh+"现场演示", "zh"
				}
				l := expodesk.Lang(lang)
				rows = append(rows, []any{sl.ID, c.ID, expodesk.Text{}.Set(l, title), expodesk.Text{}.Set(l, c.Description.Get(l))})
			}
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"booking"}, []string{"slot_id", "exhibitor_id", "titles", "abstracts"},
		pgx.CopyFromRows(rows)); err != nil {
		return 0, 0, fmt.Errorf("copy bookings: %w", err)
	}
	return slots, len(rows), nil
}

// describe fills in the counts the report shows and picks the exhibitor whose
// page is measured: one in the pavilion with a booked slot and a second
// approved participation, so that its page shows everything a page can.
func describe(ctx context.Context, conn *pgx.Conn, ds *dataset) error {
	rows, err := conn.Query(ctx, `
		SELECT x.slug, coalesce(pv.slug, ''), count(*) FILTER (WHERE p.status = 'approved'), count(*)
		FROM participation p JOIN expo x ON x.id = p.expo_id LEFT JOIN pavilion pv ON pv.id = p.pavilion_id
		GROUP BY 1, 2 ORDER BY 1, 2`)
	if err != nil {
		return fmt.Errorf("count participations: %w", err)
	}
	var pc participationCount
	_, err = pgx.ForEachRow(rows, []any{&pc.Expo, &pc.Pavilion, &pc.Approved, &pc.Total}, func() error {
		ds.Summary = append(ds.Summary, pc)
		return nil
	})
	if err != nil {
		return fmt.Errorf("count participations: %w", err)
	}
	l := &ds.Languages
	err = conn.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE name ? 'en'), count(*) FILTER (WHERE name ? 'zh'), count(*) FILTER (WHERE name ? 'es'),
		       count(*) FILTER (WHERE description ? 'en'), count(*) FILTER (WHERE description ? 'zh'),
		       count(*) FILTER (WHERE description ? 'es'),
		       (SELECT count(*) FROM exhibitor_sector)
		FROM exhibitor`).Scan(&l.NameEN, &l.NameZH, &l.NameES, &l.DescEN, &l.DescZH, &l.DescES, &ds.Sectors)
	if err != nil {
		return fmt.Errorf("count languages: %w", err)
	}
	err = conn.QueryRow(ctx, `
		SELECT e.slug FROM exhibitor e
		JOIN participation p ON p.exhibitor_id = e.id AND p.status = 'approved' AND p.pavilion_id = $1
		ORDER BY EXISTS (SELECT 1 FROM booking b WHERE b.exhibitor_id = e.id AND b.status = 'active') DESC,
		         (SELECT count(*) FROM participation q WHERE q.exhibitor_id = e.id AND q.status = 'approved') DESC,
		         e.id
		LIMIT 1`, ds.Pavilion.ID).Scan(&ds.ExhibitorSlug)
	if err != nil {
		return fmt.Errorf("pick an exhibitor: %w", err)
	}
	return nil
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
