package demo

import "expodesk/internal/expodesk"

// The demo's companies. Every one is invented: the names are made up from
// place names and ordinary words, web sites and mail addresses live under the
// reserved .example domain, and registration ids are computed (see regid.go),
// not copied. The tests keep real company names out with a deny-list.

// Expo and stage slugs the tables refer to.
const (
	bcn         = Marker      // the IoT Solutions World Congress in Barcelona
	wx          = "wiot-2027" // the World IoT Expo in Wuxi
	wuxiStage   = "wuxi-stage"
	mainStage   = "main-stage"
	europeStage = "european-stage"
)

// company is one demo exhibitor and where it exhibits. Where it stands
// follows from its country: a company abroad exhibits in the pavilion of its
// side (Wuxi companies in Barcelona's Wuxi Pavilion, European ones in Wuxi's
// European Pavilion), at home in no pavilion.
type company struct {
	slug    string // empty: derived from the Chinese name, as the app does for Chinese-only names
	legal   string
	name    expodesk.Text
	desc    expodesk.Text
	country string
	city    string
	sectors []string
	// reg seeds the registration id: a Chinese administrative division code
	// ("320214") for a USCC, the CIF letter and a Spanish province code
	// ("B08") for a CIF, "" for none.
	reg    string
	at     booths
	status expodesk.ParticipationStatus // at every expo of at; "" means approved
	talks  []talk
}

// booths maps an expo slug to the company's booth code there ("" before one
// is assigned).
type booths map[string]string

// talk is a roadshow presentation a company books a slot for, written in the
// language the company would use.
type talk struct {
	stage    string
	lang     expodesk.Lang
	title    string
	abstract string
}

// Wuxi administrative divisions, the third to eighth characters of a USCC.
const (
	liangxi  = "320213"
	xishan   = "320205"
	huishan  = "320206"
	binhu    = "320211"
	xinwu    = "320214"
	jiangyin = "320281"
	yixing   = "320282"
)

// wuxiCompanies are the Wuxi Pavilion's companies: 28 with names and
// descriptions in all three languages, 10 in Chinese and English only and 2
// in Chinese only (to show fallback), then two whose participation is still
// pending and so never public.
var wuxiCompanies = []company{
	{
		slug: "chengbo-sensing", legal: "无锡澄波传感科技有限公司",
		name: expodesk.Text{EN: "Chengbo Sensing", ZH: "澄波传感", ES: "Chengbo Sensing"},
		desc: expodesk.Text{
			EN: "MEMS pressure, humidity and water-level sensors for building automation and smart water networks, with NB-IoT and LoRaWAN modules designed in Wuxi.",
			ZH: "面向楼宇自动化和智慧水务的MEMS压力、湿度与液位传感器，配套自主设计的NB-IoT和LoRaWAN通信模组。",
			ES: "Sensores MEMS de presión, humedad y nivel de agua para la automatización de edificios y las redes inteligentes de agua, con módulos NB-IoT y LoRaWAN diseñados en Wuxi.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"sensors", "smart-city"}, reg: xinwu,
		at: booths{bcn: "2-A01", wx: "B1-08"},
		talks: []talk{{wuxiStage, expodesk.ZH, "从晶圆到水网：MEMS传感器在智慧水务中的规模化部署",
			"介绍我们在长三角三座城市部署逾十万个压力与液位传感节点的经验，包括低功耗设计、现场标定以及十年电池寿命的实测数据。"}},
	},
	{
		slug: "liangxi-cloudworks", legal: "无锡梁溪云工科技有限公司",
		name: expodesk.Text{EN: "Liangxi CloudWorks", ZH: "梁溪云工", ES: "Liangxi CloudWorks"},
		desc: expodesk.Text{
			EN: "An industrial IoT platform for small and medium manufacturers: edge gateways, device management and production dashboards delivered as a service.",
			ZH: "面向中小制造企业的工业物联网平台：边缘网关、设备管理与生产看板，以订阅服务方式交付。",
			ES: "Plataforma de IoT industrial para pequeños y medianos fabricantes: pasarelas edge, gestión de dispositivos y cuadros de mando de producción ofrecidos como servicio.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"cloud", "industrial-internet"}, reg: liangxi,
		at: booths{bcn: "2-A02"},
		talks: []talk{
			{wuxiStage, expodesk.EN, "Connecting 2,000 small factories in 18 months",
				"How a subscription IoT platform brought machine monitoring to textile and metalworking workshops around Wuxi, and what European SMEs can reuse from it."},
			{mainStage, expodesk.EN, "Edge to cloud without lock-in: open protocols on the shop floor",
				"OPC UA, MQTT and Sparkplug in practice: a vendor-neutral reference architecture tested with European and Chinese machine builders."},
		},
	},
	{
		slug: "huiqi-smart-living", legal: "无锡惠栖智能家居有限公司",
		name: expodesk.Text{EN: "Huiqi Smart Living", ZH: "惠栖智家", ES: "Huiqi Hogar Inteligente"},
		desc: expodesk.Text{
			EN: "Smart home hubs and sensors that keep data inside the home; Matter and Zigbee compatible, built for apartments and senior living.",
			ZH: "数据不出户的智能家居网关与传感器，兼容Matter和Zigbee，适用于住宅公寓和养老社区。",
			ES: "Centrales y sensores domóticos que mantienen los datos dentro del hogar; compatibles con Matter y Zigbee, pensados para pisos y residencias de mayores.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"smart-home", "ai"}, reg: huishan,
		at: booths{bcn: "2-A03"},
		talks: []talk{{wuxiStage, expodesk.ZH, "本地智能：不依赖云端的家庭自动化",
			"演示在网关本地运行的场景引擎和跌倒检测算法，并探讨隐私保护与欧盟GDPR合规之间的设计取舍。"}},
	},
	{
		slug: "lakegrid-energy", legal: "无锡湖网能源科技有限公司",
		name: expodesk.Text{EN: "LakeGrid Energy", ZH: "湖网能源", ES: "LakeGrid Energía"},
		desc: expodesk.Text{
			EN: "Battery and microgrid monitoring for industrial parks: cell-level sensing, state-of-health analytics and demand response.",
			ZH: "面向产业园区的储能与微电网监测：电芯级传感、健康状态分析和需求响应。",
			ES: "Monitorización de baterías y microrredes para parques industriales: sensado a nivel de celda, análisis del estado de salud y respuesta a la demanda.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"energy", "sensors"}, reg: binhu,
		at: booths{bcn: "2-A04", wx: "B1-12"},
		talks: []talk{{mainStage, expodesk.EN, "Reading the health of a battery from its heartbeat",
			"Impedance spectroscopy at the edge: how cell-level sensing predicts failures weeks ahead in 40 MWh of industrial storage."}},
	},
	{
		slug: "jinxin-microelectronics", legal: "无锡锦芯微电子有限公司",
		name: expodesk.Text{EN: "Jinxin Microelectronics", ZH: "锦芯微电子", ES: "Jinxin Microelectrónica"},
		desc: expodesk.Text{
			EN: "Fabless designer of ultra-low-power NB-IoT and LTE Cat-1 systems-on-chip for meters, trackers and wearables.",
			ZH: "专注于超低功耗NB-IoT与Cat-1系统级芯片的设计公司，产品用于智能表计、定位器和可穿戴设备。",
			ES: "Empresa de diseño de chips sin fábrica propia, especializada en sistemas en chip NB-IoT y LTE Cat-1 de ultrabajo consumo para contadores, localizadores y wearables.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"integrated-circuits", "connectivity"}, reg: xinwu,
		at: booths{bcn: "2-A05", wx: "B1-02"},
		talks: []talk{
			{wuxiStage, expodesk.ZH, "一节电池用十年：NB-IoT芯片的功耗设计",
				"分享我们在射频前端、睡眠电流和固件调度方面的优化方法，以及在燃气表项目中的量产数据。"},
			{mainStage, expodesk.EN, "Designing IoT silicon for two markets",
				"Certification, band plans and security requirements for selling one cellular IoT chip in China and the EU, from tape-out to field deployment."},
		},
	},
	{
		slug: "qinglu-vision", legal: "无锡青鹭智能视觉科技有限公司",
		name: expodesk.Text{EN: "Qinglu Vision AI", ZH: "青鹭视觉", ES: "Qinglu Visión IA"},
		desc: expodesk.Text{
			EN: "Edge AI cameras and software that count cars, bicycles and pedestrians without storing images, for city planners and transport operators.",
			ZH: "不存储图像的边缘AI相机与软件，统计机动车、自行车和行人流量，服务城市规划与交通运营。",
			ES: "Cámaras y software de IA en el borde que cuentan coches, bicicletas y peatones sin guardar imágenes, para urbanistas y operadores de transporte.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"ai", "smart-city", "security"}, reg: liangxi,
		at: booths{bcn: "2-A06"},
		talks: []talk{{wuxiStage, expodesk.EN, "Counting without watching: privacy-first vision at the edge",
			"Anonymous object counting on a two-watt chip, and how the same pipeline passed a European data-protection impact assessment."}},
	},
	{
		slug: "yunzhe-connected-vehicles", legal: "无锡云辙车联网科技有限公司",
		name: expodesk.Text{EN: "Yunzhe Connected Vehicles", ZH: "云辙车联", ES: "Yunzhe Vehículos Conectados"},
		desc: expodesk.Text{
			EN: "C-V2X roadside units, intersection perception and a cloud control platform for connected and automated driving pilots.",
			ZH: "C-V2X路侧单元、路口感知设备和云控平台，服务车路协同与自动驾驶示范项目。",
			ES: "Unidades de carretera C-V2X, percepción en intersecciones y una plataforma de control en la nube para pilotos de conducción conectada y automatizada.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"internet-of-vehicles", "connectivity"}, reg: xinwu,
		at: booths{bcn: "2-A07", wx: "B1-15"},
		talks: []talk{
			{wuxiStage, expodesk.ZH, "车路协同在城市道路的规模化实践",
				"介绍在两百个路口部署路侧感知与C-V2X通信的经验，以及红绿灯信息推送对通行效率的实测提升。"},
			{mainStage, expodesk.EN, "C-V2X meets C-ITS: bridging Chinese and European connected-vehicle standards",
				"Lessons from a joint test bed where Chinese roadside units talk to vehicles built for European C-ITS messages."},
		},
	},
	{
		slug: "xiling-smart-manufacturing", legal: "无锡锡岭智造科技有限公司",
		name: expodesk.Text{EN: "Xiling Smart Manufacturing", ZH: "锡岭智造", ES: "Xiling Fabricación Inteligente"},
		desc: expodesk.Text{
			EN: "Digital twins of production lines for automotive parts and textile machinery: simulation, scheduling and energy optimisation.",
			ZH: "为汽车零部件和纺织机械生产线构建数字孪生，提供仿真、排产与能耗优化。",
			ES: "Gemelos digitales de líneas de producción de componentes de automoción y maquinaria textil: simulación, planificación y optimización energética.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"industrial-internet", "ai"}, reg: xishan,
		at: booths{bcn: "2-A08"},
		talks: []talk{{wuxiStage, expodesk.ZH, "数字孪生如何把换线时间缩短一半",
			"以一家汽车零部件工厂为例，讲解从数据采集、建模到排产优化的全过程及其投资回报。"}},
	},
	{
		slug: "bochuan-smart-logistics", legal: "无锡泊川智慧物流有限公司",
		name: expodesk.Text{EN: "Bochuan Smart Logistics", ZH: "泊川物流", ES: "Bochuan Logística Inteligente"},
		desc: expodesk.Text{
			EN: "RFID and temperature tracking for cold-chain logistics, from Wuxi's warehouses to cross-border rail freight to Europe.",
			ZH: "冷链物流的RFID与温度追踪方案，覆盖无锡仓储到中欧班列跨境运输。",
			ES: "Seguimiento por RFID y temperatura para la logística de la cadena de frío, desde los almacenes de Wuxi hasta el transporte ferroviario transfronterizo hacia Europa.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"logistics", "sensors"}, reg: binhu,
		at: booths{bcn: "2-A09"},
		talks: []talk{{wuxiStage, expodesk.EN, "Cold chain from Wuxi to Europe by rail: 16 days, 4 borders, one data trail",
			"Sensor tags, customs data and alerts along the China–Europe rail route: results from a year of fresh-food shipments."}},
	},
	{
		slug: "qingtian-agri-iot", legal: "宜兴青田物联农业科技有限公司",
		name: expodesk.Text{EN: "Qingtian Agri-IoT", ZH: "青田物联", ES: "Qingtian Agro-IoT"},
		desc: expodesk.Text{
			EN: "Soil, microclimate and irrigation sensors for tea gardens and orchards in the hills of Yixing; solar powered, connected over LoRa.",
			ZH: "用于宜兴山区茶园和果园的土壤、小气候和灌溉传感器，太阳能供电，LoRa联网。",
			ES: "Sensores de suelo, microclima y riego para plantaciones de té y frutales en las colinas de Yixing; alimentados por energía solar y conectados por LoRa.",
		},
		country: "CN", city: "Yixing", sectors: []string{"agriculture", "sensors"}, reg: yixing,
		at: booths{bcn: "2-A10"},
		talks: []talk{{wuxiStage, expodesk.ZH, "物联网里的一杯好茶：茶园精准灌溉实践",
			"三年数据表明，按土壤墒情精准灌溉可节水三成并提升春茶品质。本次路演介绍系统部署与茶农培训经验。"}},
	},
	{
		slug: "zhiyuan-health", legal: "无锡知源健康科技有限公司",
		name: expodesk.Text{EN: "Zhiyuan Health Tech", ZH: "知源健康", ES: "Zhiyuan Salud"},
		desc: expodesk.Text{
			EN: "Wearable and bedside monitors for elderly care at home and in care homes, with fall alerts and a dashboard for carers.",
			ZH: "面向居家与机构养老的可穿戴及床旁监测设备，支持跌倒告警和护理人员看板。",
			ES: "Monitores portátiles y de cabecera para el cuidado de mayores en casa y en residencias, con alertas de caídas y un panel para cuidadores.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"healthcare", "sensors"}, reg: liangxi,
		at: booths{bcn: "2-B01"},
	},
	{
		slug: "anlan-cyber-security", legal: "无锡安澜网络安全技术有限公司",
		name: expodesk.Text{EN: "Anlan Cyber Security", ZH: "安澜安全", ES: "Anlan Ciberseguridad"},
		desc: expodesk.Text{
			EN: "Device identity, secure boot and signed firmware updates for IoT fleets, ready for the EU Cyber Resilience Act and China's MLPS 2.0.",
			ZH: "物联网设备身份、安全启动与固件签名升级方案，满足欧盟《网络韧性法案》和等保2.0要求。",
			ES: "Identidad de dispositivos, arranque seguro y actualizaciones de firmware firmadas para flotas IoT, preparado para la Ley de Ciberresiliencia de la UE y la norma china MLPS 2.0.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"security"}, reg: xinwu,
		at: booths{bcn: "2-B02"},
		talks: []talk{{mainStage, expodesk.EN, "One firmware pipeline, two rulebooks: the Cyber Resilience Act and MLPS 2.0",
			"A practical mapping of EU and Chinese IoT security obligations onto a single signing and update pipeline."}},
	},
	{
		slug: "chengduan-industrial", legal: "江阴澄锻工业互联网科技有限公司",
		name: expodesk.Text{EN: "Chengduan Industrial Internet", ZH: "澄锻工业互联", ES: "Chengduan Internet Industrial"},
		desc: expodesk.Text{
			EN: "Predictive maintenance for forging presses, rolling mills and heavy machinery, using vibration and acoustic sensing.",
			ZH: "基于振动和声学传感的锻压设备、轧机及重型机械预测性维护。",
			ES: "Mantenimiento predictivo para prensas de forja, laminadoras y maquinaria pesada mediante sensores de vibración y acústicos.",
		},
		country: "CN", city: "Jiangyin", sectors: []string{"industrial-internet", "sensors"}, reg: jiangyin,
		at: booths{bcn: "2-B03", wx: "B1-21"},
		talks: []talk{{wuxiStage, expodesk.ZH, "让重型设备“开口说话”：锻压产线预测性维护",
			"介绍振动与声纹数据的采集和故障模型训练，以及在江阴多家工厂减少非计划停机的成果。"}},
	},
	{
		slug: "huixun-communications", legal: "无锡汇讯通信技术有限公司",
		name: expodesk.Text{EN: "Huixun Communications", ZH: "汇讯通信", ES: "Huixun Comunicaciones"},
		desc: expodesk.Text{
			EN: "Private 5G and 5G RedCap networks for factories, ports and campuses, from planning to operation.",
			ZH: "面向工厂、港口和园区的5G专网与5G RedCap网络，提供从规划到运维的全流程服务。",
			ES: "Redes 5G privadas y 5G RedCap para fábricas, puertos y campus, desde la planificación hasta la operación.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"connectivity", "industrial-internet"}, reg: xinwu,
		at: booths{bcn: "2-B04", wx: "B1-30"},
	},
	{
		slug: "xinglan-lighting", legal: "无锡星澜照明科技有限公司",
		name: expodesk.Text{EN: "Xinglan Lighting", ZH: "星澜照明", ES: "Xinglan Iluminación"},
		desc: expodesk.Text{
			EN: "Smart street lights that dim on demand and double as sensor poles for air quality, noise and parking.",
			ZH: "按需调光的智慧路灯，同时作为空气质量、噪声和停车监测的多功能杆。",
			ES: "Farolas inteligentes que regulan su intensidad según la demanda y sirven de postes de sensores para calidad del aire, ruido y aparcamiento.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"smart-city", "energy"}, reg: binhu,
		at: booths{bcn: "2-B05"},
	},
	{
		slug: "ruidian-ev-charging", legal: "无锡睿电新能源科技有限公司",
		name: expodesk.Text{EN: "Ruidian EV Charging", ZH: "睿电新能源", ES: "Ruidian Recarga VE"},
		desc: expodesk.Text{
			EN: "Networked EV chargers and load management software that keep charging hubs within the limits of the local grid.",
			ZH: "联网电动汽车充电桩及负荷管理软件，让充电站在本地电网容量内有序充电。",
			ES: "Cargadores conectados para vehículos eléctricos y software de gestión de carga que mantiene las electrolineras dentro de los límites de la red local.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"energy", "internet-of-vehicles"}, reg: huishan,
		at: booths{bcn: "2-B06", wx: "B1-23"},
	},
	{
		slug: "hexin-sensor-materials", legal: "无锡禾芯传感材料有限公司",
		name: expodesk.Text{EN: "Hexin Sensor Materials", ZH: "禾芯传感材料", ES: "Hexin Materiales para Sensores"},
		desc: expodesk.Text{
			EN: "Thin-film gas-sensitive materials and MEMS gas sensor dies for air-quality monitors and industrial safety.",
			ZH: "用于空气质量监测和工业安全的薄膜气敏材料及MEMS气体传感器芯片。",
			ES: "Materiales sensibles a gases en capa fina y chips de sensores de gas MEMS para monitores de calidad del aire y seguridad industrial.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"sensors", "integrated-circuits"}, reg: xinwu,
		at: booths{bcn: "2-B07"},
	},
	{
		slug: "yunxi-data", legal: "无锡云溪数据科技有限公司",
		name: expodesk.Text{EN: "Yunxi Data", ZH: "云溪数据", ES: "Yunxi Datos"},
		desc: expodesk.Text{
			EN: "A time-series database and analytics service built for billions of sensor readings a day, on premises or in the cloud.",
			ZH: "为每日数十亿条传感器数据打造的时序数据库与分析服务，支持本地部署和云端部署。",
			ES: "Base de datos de series temporales y servicio analítico para miles de millones de lecturas de sensores al día, en local o en la nube.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"cloud", "ai"}, reg: liangxi,
		at: booths{bcn: "2-B08"},
	},
	{
		slug: "tingtao-acoustics", legal: "无锡听涛声学科技有限公司",
		name: expodesk.Text{EN: "Tingtao Acoustics", ZH: "听涛声学", ES: "Tingtao Acústica"},
		desc: expodesk.Text{
			EN: "Acoustic leak detection for water and heating pipes: clip-on listeners, correlation software and a leak map for utilities.",
			ZH: "供水与供热管网声学检漏：夹装式听漏仪、相关分析软件和面向水务公司的漏点地图。",
			ES: "Detección acústica de fugas en tuberías de agua y calefacción: sensores de escucha de fijación rápida, software de correlación y un mapa de fugas para las compañías de servicios.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"sensors", "smart-city"}, reg: binhu,
		at: booths{bcn: "2-B09"},
		talks: []talk{{wuxiStage, expodesk.EN, "Listening to the pipes: finding leaks before they surface",
			"Results from 600 km of monitored water mains, and how acoustic data cut water losses by a fifth."}},
	},
	{
		slug: "zhulin-smart-community", legal: "无锡筑邻智慧社区科技有限公司",
		name: expodesk.Text{EN: "Zhulin Smart Community", ZH: "筑邻社区", ES: "Zhulin Comunidad Inteligente"},
		desc: expodesk.Text{
			EN: "A smart community platform for residential estates: access control, parking, parcel lockers and property services in one app.",
			ZH: "面向住宅小区的智慧社区平台：门禁、停车、快递柜和物业服务集成在一个应用中。",
			ES: "Plataforma de comunidad inteligente para urbanizaciones: control de accesos, aparcamiento, taquillas de paquetería y servicios de administración en una sola aplicación.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"smart-city", "smart-home"}, reg: huishan,
		at: booths{bcn: "2-B10"},
	},
	{
		slug: "duanhe-edge-computing", legal: "无锡端禾边缘计算科技有限公司",
		name: expodesk.Text{EN: "Duanhe Edge Computing", ZH: "端禾边缘计算", ES: "Duanhe Computación en el Borde"},
		desc: expodesk.Text{
			EN: "Rugged edge servers and a container platform that run AI inspection and control loops next to the machines.",
			ZH: "加固型边缘服务器与容器平台，在设备旁运行AI质检和控制回路。",
			ES: "Servidores edge robustos y una plataforma de contenedores que ejecutan inspección por IA y bucles de control junto a las máquinas.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"cloud", "industrial-internet", "ai"}, reg: xinwu,
		at: booths{bcn: "2-C01"},
		talks: []talk{{mainStage, expodesk.EN, "Why the factory of the future still needs a server room",
			"Latency, data sovereignty and uptime: the case for edge computing in quality inspection, with three customer examples."}},
	},
	{
		slug: "taolian-smart-kiln", legal: "宜兴陶联智能科技有限公司",
		name: expodesk.Text{EN: "Taolian Smart Kiln", ZH: "陶联智能", ES: "Taolian Horno Inteligente"},
		desc: expodesk.Text{
			EN: "Kiln temperature and atmosphere monitoring for ceramics makers and Yixing zisha teapot workshops, saving energy and firing losses.",
			ZH: "为陶瓷企业和宜兴紫砂作坊提供窑炉温度与气氛监测，节约能耗、降低烧成损耗。",
			ES: "Monitorización de temperatura y atmósfera de hornos para ceramistas y talleres de teteras zisha de Yixing, con ahorro de energía y menos pérdidas de cocción.",
		},
		country: "CN", city: "Yixing", sectors: []string{"industrial-internet", "energy", "sensors"}, reg: yixing,
		at: booths{bcn: "2-C02"},
		talks: []talk{{wuxiStage, expodesk.ZH, "千年窑火遇上物联网",
			"讲述紫砂作坊如何用低成本传感器记录每一窑的温度曲线，把老师傅的经验变成可复用的数据。"}},
	},
	{
		slug: "chengjiang-port-iot", legal: "江阴澄江港航物联科技有限公司",
		name: expodesk.Text{EN: "Chengjiang Port IoT", ZH: "澄江港航物联", ES: "Chengjiang IoT Portuario"},
		desc: expodesk.Text{
			EN: "Container, barge and berth tracking for inland ports on the Yangtze River, with automated gate checks.",
			ZH: "长江内河港口的集装箱、驳船和泊位追踪系统，支持智能闸口自动核验。",
			ES: "Seguimiento de contenedores, barcazas y atraques para los puertos fluviales del río Yangtsé, con control automatizado de accesos.",
		},
		country: "CN", city: "Jiangyin", sectors: []string{"logistics", "internet-of-vehicles"}, reg: jiangyin,
		at: booths{bcn: "2-C03"},
	},
	{
		slug: "nuanchao-smart-climate", legal: "无锡暖巢智能科技有限公司",
		name: expodesk.Text{EN: "Nuanchao Smart Climate", ZH: "暖巢智能", ES: "Nuanchao Clima Inteligente"},
		desc: expodesk.Text{
			EN: "Smart thermostats, radiator valves and heat-pump controllers that learn a household's routine.",
			ZH: "能学习家庭作息的智能温控器、散热器阀门和热泵控制器。",
			ES: "Termostatos inteligentes, válvulas de radiador y controladores de bomba de calor que aprenden la rutina del hogar.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"smart-home", "energy"}, reg: liangxi,
		at: booths{bcn: "2-C04"},
		talks: []talk{{mainStage, expodesk.EN, "Heat pumps that read the weather forecast",
			"Predictive control for residential heat pumps: field data from Jiangsu homes and a pilot with a Spanish housing cooperative."}},
	},
	{
		slug: "zhouce-positioning", legal: "无锡舟测定位科技有限公司",
		name: expodesk.Text{EN: "Zhouce Positioning", ZH: "舟测定位", ES: "Zhouce Posicionamiento"},
		desc: expodesk.Text{
			EN: "UWB and Bluetooth indoor positioning for warehouses, hospitals and underground car parks, accurate to 30 cm.",
			ZH: "适用于仓库、医院和地下车库的UWB与蓝牙室内定位系统，精度达30厘米。",
			ES: "Posicionamiento en interiores por UWB y Bluetooth para almacenes, hospitales y aparcamientos subterráneos, con una precisión de 30 cm.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"connectivity", "logistics"}, reg: xinwu,
		at: booths{bcn: "2-C05"},
	},
	{
		slug: "shuiyun-environmental", legal: "无锡水韵环境监测有限公司",
		name: expodesk.Text{EN: "Shuiyun Environmental Monitoring", ZH: "水韵环境", ES: "Shuiyun Monitorización Ambiental"},
		desc: expodesk.Text{
			EN: "Solar buoys and shore stations that watch water quality and algal blooms on Lake Tai, with early warnings for waterworks.",
			ZH: "太阳能浮标和岸边站点实时监测太湖水质与蓝藻，为水厂提供预警。",
			ES: "Boyas solares y estaciones de orilla que vigilan la calidad del agua y las floraciones de algas en el lago Tai, con alertas tempranas para las potabilizadoras.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"sensors", "smart-city", "ai"}, reg: binhu,
		at: booths{bcn: "2-C06", wx: "B1-33"},
		talks: []talk{{wuxiStage, expodesk.ZH, "守护太湖：蓝藻水华的物联网预警",
			"介绍湖面浮标网络、遥感数据与AI预测模型的结合，以及预警信息如何帮助水厂提前调整工艺。"}},
	},
	{
		slug: "xinlan-semiconductor", legal: "无锡芯岚半导体有限公司",
		name: expodesk.Text{EN: "Xinlan Semiconductor", ZH: "芯岚半导体", ES: "Xinlan Semiconductores"},
		desc: expodesk.Text{
			EN: "Microcontrollers with built-in secure elements for smart meters, door locks and payment terminals.",
			ZH: "内置安全单元的微控制器，用于智能表计、智能门锁和支付终端。",
			ES: "Microcontroladores con elemento seguro integrado para contadores inteligentes, cerraduras y terminales de pago.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"integrated-circuits", "security"}, reg: xinwu,
		at: booths{bcn: "2-C07"},
	},
	{
		slug: "tuan-traffic", legal: "无锡途安交通科技有限公司",
		name: expodesk.Text{EN: "Tu'an Traffic Technology", ZH: "途安交通", ES: "Tu'an Tecnología de Tráfico"},
		desc: expodesk.Text{
			EN: "Adaptive traffic signal control that uses radar and connected-vehicle data to shorten waits at intersections.",
			ZH: "利用雷达与网联车辆数据的自适应信号控制系统，缩短路口等待时间。",
			ES: "Control adaptativo de semáforos que usa datos de radar y de vehículos conectados para acortar las esperas en los cruces.",
		},
		country: "CN", city: "Wuxi", sectors: []string{"internet-of-vehicles", "smart-city", "ai"}, reg: liangxi,
		at: booths{bcn: "2-C08"},
	},

	// Chinese and English only: a Spanish reader sees the English text.
	{
		slug: "weicheng-pressure", legal: "无锡微澄压力传感有限公司",
		name: expodesk.Text{EN: "Weicheng Pressure Sensing", ZH: "微澄压力传感"},
		desc: expodesk.Text{
			EN: "Ceramic and silicon piezoresistive pressure transmitters for HVAC, hydraulics and the process industry.",
			ZH: "用于暖通空调、液压和流程工业的陶瓷及硅压阻式压力变送器。",
		},
		country: "CN", city: "Wuxi", sectors: []string{"sensors"}, reg: xinwu,
		at: booths{bcn: "2-C09"},
		talks: []talk{{wuxiStage, expodesk.ZH, "压力传感器的可靠性从封装开始",
			"对比陶瓷与硅压阻两种技术路线，分享高温高湿环境下的封装设计与加速寿命试验方法。"}},
	},
	{
		slug: "yunfan-industrial-software", legal: "无锡云帆工业软件有限公司",
		name: expodesk.Text{EN: "Yunfan Industrial Software", ZH: "云帆工业软件"},
		desc: expodesk.Text{
			EN: "A cloud MES for discrete manufacturers: work orders, traceability and quality records linked to machine data.",
			ZH: "面向离散制造企业的云MES：工单、追溯和质量记录与设备数据打通。",
		},
		country: "CN", city: "Wuxi", sectors: []string{"cloud", "industrial-internet"}, reg: xishan,
		at: booths{bcn: "2-C10"},
	},
	{
		slug: "zhiju-yilian", legal: "无锡智居易联科技有限公司",
		name: expodesk.Text{EN: "Zhiju Yilian Smart Home", ZH: "智居易联"},
		desc: expodesk.Text{
			EN: "Matter-certified wall switches, sockets and curtain motors made for renovation projects.",
			ZH: "面向旧房改造的Matter认证墙壁开关、插座和窗帘电机。",
		},
		country: "CN", city: "Wuxi", sectors: []string{"smart-home", "connectivity"}, reg: huishan,
		at: booths{bcn: "2-D01"},
	},
	{
		slug: "yuanfan-telematics", legal: "江阴远帆车联科技有限公司",
		name: expodesk.Text{EN: "Yuanfan Telematics", ZH: "远帆车联"},
		desc: expodesk.Text{
			EN: "Telematics boxes and fleet software for heavy trucks: fuel, driver behaviour and cargo temperature at a glance.",
			ZH: "重型卡车车载终端与车队管理软件：油耗、驾驶行为和货物温度一目了然。",
		},
		country: "CN", city: "Jiangyin", sectors: []string{"internet-of-vehicles", "logistics"}, reg: jiangyin,
		at: booths{bcn: "2-D02"},
		talks: []talk{{wuxiStage, expodesk.EN, "Fleet data that drivers actually trust",
			"Turning telematics from surveillance into coaching: a driver-facing app that cut fuel use by 8% across 3,000 trucks."}},
	},
	{
		slug: "xinhong-packaging-test", legal: "无锡芯泓封测科技有限公司",
		name: expodesk.Text{EN: "Xinhong Packaging & Test", ZH: "芯泓封测"},
		desc: expodesk.Text{
			EN: "System-in-package assembly and testing for IoT modules, from prototypes to volume production.",
			ZH: "为物联网模组提供系统级封装（SiP）组装与测试服务，从样品到量产。",
		},
		country: "CN", city: "Wuxi", sectors: []string{"integrated-circuits"}, reg: xinwu,
		at: booths{bcn: "2-D03"},
	},
	{
		slug: "huinong-cloud", legal: "无锡慧农云科技有限公司",
		name: expodesk.Text{EN: "Huinong Cloud", ZH: "慧农云"},
		desc: expodesk.Text{
			EN: "Greenhouse climate control and crop records in the cloud for vegetable and flower growers.",
			ZH: "为蔬菜和花卉种植户提供温室环境控制与云端种植档案。",
		},
		country: "CN", city: "Wuxi", sectors: []string{"agriculture", "cloud"}, reg: huishan,
		at: booths{bcn: "2-D04"},
	},
	{
		slug: "antong-intelligent", legal: "无锡安瞳智能科技有限公司",
		name: expodesk.Text{EN: "Antong Intelligent", ZH: "安瞳智能"},
		desc: expodesk.Text{
			EN: "AI smoke and flame detection for warehouses and heritage buildings, raising an alert in under ten seconds.",
			ZH: "面向仓库和古建筑的AI烟火识别系统，十秒内发出告警。",
		},
		country: "CN", city: "Wuxi", sectors: []string{"security", "ai"}, reg: liangxi,
		at: booths{bcn: "2-D05"},
	},
	{
		slug: "xineng-energy-storage", legal: "宜兴溪能储能科技有限公司",
		name: expodesk.Text{EN: "Xineng Energy Storage", ZH: "溪能储能"},
		desc: expodesk.Text{
			EN: "Battery management systems and cabinet storage for factories and telecom sites.",
			ZH: "面向工厂和通信基站的电池管理系统与储能柜。",
		},
		country: "CN", city: "Yixing", sectors: []string{"energy"}, reg: yixing,
		at: booths{bcn: "2-D06"},
	},
	{
		slug: "kangban-medical-iot", legal: "无锡康伴医疗物联有限公司",
		name: expodesk.Text{EN: "Kangban Medical IoT", ZH: "康伴医疗物联"},
		desc: expodesk.Text{
			EN: "Tracking of infusion pumps, wheelchairs and beds across hospital wards, with cold-chain monitoring for pharmacies.",
			ZH: "医院病区内输液泵、轮椅和病床的定位追踪，并为药房提供冷链监测。",
		},
		country: "CN", city: "Wuxi", sectors: []string{"healthcare", "logistics"}, reg: binhu,
		at: booths{bcn: "2-D07"},
	},
	{
		slug: "shuchao-digital-twin", legal: "无锡数潮科技有限公司",
		name: expodesk.Text{EN: "Shuchao Digital Twin", ZH: "数潮科技"},
		desc: expodesk.Text{
			EN: "City information models that combine buildings, pipes, traffic and sensors into one digital twin for planners.",
			ZH: "把建筑、管网、交通和传感器融合为一体的城市信息模型（CIM）数字孪生平台。",
		},
		country: "CN", city: "Wuxi", sectors: []string{"smart-city", "cloud", "ai"}, reg: liangxi,
		at: booths{bcn: "2-D08"},
		talks: []talk{{mainStage, expodesk.EN, "A digital twin for a city of seven million",
			"What it takes to keep a city-scale model of buildings, pipes and traffic up to date, and who uses it every day."}},
	},

	// Chinese only: every reader sees the Chinese text, and the slug is pinyin.
	{
		legal:   "无锡蠡湖传感仪表有限公司",
		name:    expodesk.Text{ZH: "蠡湖仪表"},
		desc:    expodesk.Text{ZH: "专业生产电磁流量计、超声波水表和热量表，服务供水、供热企业三十余年。"},
		country: "CN", city: "Wuxi", sectors: []string{"sensors"}, reg: binhu,
		at: booths{bcn: "2-D09"},
	},
	{
		legal:   "无锡梅园智能锁具有限公司",
		name:    expodesk.Text{ZH: "梅园智锁"},
		desc:    expodesk.Text{ZH: "指纹、人脸与NFC智能门锁，支持公寓和酒店的集中授权管理。"},
		country: "CN", city: "Wuxi", sectors: []string{"smart-home", "security"},
		at: booths{bcn: "2-D10"},
	},

	// Pending: an application waiting for the partner organisation and an
	// invitation not yet accepted. Neither may appear in public pages.
	{
		slug: "xinchuan-iot", legal: "无锡新川物联科技有限公司",
		name:    expodesk.Text{EN: "Xinchuan IoT", ZH: "新川物联"},
		desc:    expodesk.Text{EN: "LoRaWAN gateways and network servers for campuses.", ZH: "面向园区的LoRaWAN网关与网络服务器。"},
		country: "CN", city: "Wuxi", sectors: []string{"connectivity"}, reg: xinwu,
		at: booths{bcn: ""}, status: expodesk.StatusApplied,
	},
	{
		slug: "beitang-cnc-cloud", legal: "无锡北塘数控云科技有限公司",
		name:    expodesk.Text{EN: "Beitang CNC Cloud", ZH: "北塘数控云"},
		desc:    expodesk.Text{ZH: "数控机床联网与加工数据云平台。"},
		country: "CN", city: "Wuxi", sectors: []string{"industrial-internet"}, reg: liangxi,
		at: booths{bcn: ""}, status: expodesk.StatusInvited,
	},
}

// europeanCompanies exhibit at IOTSWC on their own (no pavilion) and in
// Wuxi in the European Pavilion; the last two are pending or rejected.
var europeanCompanies = []company{
	{
		slug: "sensorica-mediterrania", legal: "Sensòrica Mediterrània, S.L.",
		name: expodesk.Text{EN: "Mediterranean Sensing", ZH: "地中海传感", ES: "Sensórica Mediterránea"},
		desc: expodesk.Text{
			ES: "Sondas de humedad del suelo y estaciones meteorológicas para viñedos y olivares, con un servicio de alertas de riego y heladas.",
			EN: "Soil-moisture probes and weather stations for vineyards and olive groves, with irrigation and frost alerts.",
			ZH: "面向葡萄园和橄榄园的土壤湿度探头和气象站，提供灌溉与霜冻预警服务。",
		},
		country: "ES", city: "Barcelona", sectors: []string{"agriculture", "sensors"}, reg: "B08",
		at: booths{bcn: "3-C12", wx: "A3-E01"},
		talks: []talk{
			{mainStage, expodesk.ES, "Viñedos conectados: cinco campañas de riego de precisión en el Penedès",
				"Resultados de cinco vendimias con sondas de humedad y previsión de heladas: ahorro de agua, calidad de la uva y lo que aprendimos de los viticultores."},
			{europeStage, expodesk.EN, "Precision irrigation for vineyards and tea gardens alike",
				"What Mediterranean vineyards and Jiangsu tea gardens have in common, and how one sensor network serves both."},
		},
	},
	{
		slug: "nimbo-meseta", legal: "Nimbo Meseta Cloud, S.L.",
		name: expodesk.Text{EN: "Nimbo Meseta Cloud", ZH: "宁博云", ES: "Nimbo Meseta"},
		desc: expodesk.Text{
			ES: "Plataforma en la nube europea para datos IoT con residencia de datos en la UE, analítica en tiempo real y conectores para sistemas industriales.",
			EN: "A European cloud platform for IoT data with EU data residency, real-time analytics and connectors for industrial systems.",
			ZH: "欧洲本土的物联网数据云平台，数据存储于欧盟境内，提供实时分析和工业系统连接器。",
		},
		country: "ES", city: "Madrid", sectors: []string{"cloud", "ai"}, reg: "B28",
		at: booths{bcn: "3-C14", wx: "A3-E02"},
		talks: []talk{
			{mainStage, expodesk.ES, "Soberanía del dato en el IoT industrial",
				"Cómo diseñar una arquitectura IoT que cumpla el RGPD y la Ley de Datos europea sin renunciar a la analítica en tiempo real."},
			{europeStage, expodesk.EN, "Cross-border IoT data: what Europe's Data Act means for Chinese partners",
				"Data-sharing obligations, residency and contracts explained for companies that build connected products for the EU market."},
			{europeStage, expodesk.ZH, "中欧物联网数据合作的合规要点",
				"结合欧盟《数据法案》和中国数据出境规定，梳理跨境物联网项目在数据存储、共享和合同方面的实务要点。"},
		},
	},
	{
		slug: "via-conectada", legal: "Vía Conectada Movilidad, S.A.",
		name: expodesk.Text{EN: "Via Conectada Mobility", ZH: "维亚互联出行", ES: "Vía Conectada"},
		desc: expodesk.Text{
			ES: "Soluciones de movilidad conectada: unidades C-ITS para autobuses y tranvías, prioridad semafórica y datos de tráfico para ayuntamientos.",
			EN: "Connected mobility: C-ITS units for buses and trams, traffic-signal priority and traffic data for city councils.",
			ZH: "网联出行解决方案：公交和有轨电车C-ITS车载单元、信号优先和面向市政的交通数据服务。",
		},
		country: "ES", city: "Valencia", sectors: []string{"internet-of-vehicles", "smart-city"}, reg: "A46",
		at: booths{bcn: "3-D03", wx: "A3-E03"},
		talks: []talk{
			{mainStage, expodesk.ES, "Prioridad semafórica para el autobús: datos de tres ciudades españolas",
				"Cuánto tiempo ganan los autobuses cuando los semáforos los esperan: mediciones en Valencia, Castellón y Alicante y cómo se financiaron los proyectos."},
			{europeStage, expodesk.ZH, "欧洲C-ITS与中国C-V2X的互联互通测试",
				"介绍我们与无锡合作伙伴在瓦伦西亚和无锡两地开展的互通测试，以及中欧标准协调的下一步工作。"},
		},
	},
	{
		slug: "llum-urbana", legal: "Llum Urbana Intel·ligent, S.L.",
		name: expodesk.Text{EN: "Llum Urbana Smart Lighting", ZH: "卢姆城市照明", ES: "Llum Urbana"},
		desc: expodesk.Text{
			ES: "Telegestión del alumbrado público: controladores para farolas LED, mapas de consumo y mantenimiento predictivo para municipios.",
			EN: "Remote management of street lighting: LED luminaire controllers, consumption maps and predictive maintenance for municipalities.",
			ZH: "城市公共照明远程管理：LED路灯控制器、能耗地图与市政设施预测性维护。",
		},
		country: "ES", city: "Girona", sectors: []string{"smart-city", "energy"}, reg: "B17",
		at: booths{bcn: "3-D05"},
		talks: []talk{{mainStage, expodesk.ES, "Alumbrado público que se paga solo: diez municipios catalanes",
			"Ahorros medidos, financiación y lecciones de diez proyectos de telegestión del alumbrado en municipios de menos de 50.000 habitantes."}},
	},
	{
		slug: "altzairu-datuak", legal: "Altzairu Datuak Industria Conectada, S.L.",
		name: expodesk.Text{EN: "Altzairu Data", ZH: "阿尔柴鲁工业数据", ES: "Altzairu Datuak"},
		desc: expodesk.Text{
			ES: "Monitorización de maquinaria pesada y hornos en la siderurgia y la fundición, con analítica de vibraciones y consumo energético.",
			EN: "Monitoring of heavy machinery and furnaces in steel and foundry plants, with vibration and energy analytics.",
			ZH: "面向钢铁和铸造企业的重型设备与熔炉监测，提供振动和能耗分析。",
		},
		country: "ES", city: "Bilbao", sectors: []string{"industrial-internet", "sensors"}, reg: "B48",
		at: booths{bcn: "3-D07", wx: "A3-E04"},
		talks: []talk{
			{mainStage, expodesk.ES, "Del horno al dato: digitalizar la fundición vasca",
				"Cómo una red de sensores de vibración y energía redujo las paradas no planificadas en cuatro fundiciones de Bizkaia."},
			{europeStage, expodesk.EN, "Steel plants at both ends of the rail line",
				"Comparing predictive maintenance in Basque foundries and Jiangyin forging plants, and a joint pilot that started at IOTSWC."},
		},
	},
	{
		slug: "cor-a-casa", legal: "Cor a Casa Telemedicina, S.L.",
		name: expodesk.Text{EN: "Cor a Casa Telehealth", ZH: "科尔卡萨远程医疗", ES: "Cor a Casa"},
		desc: expodesk.Text{
			ES: "Telemonitorización de pacientes crónicos en casa: dispositivos conectados, alertas clínicas e integración con la historia clínica.",
			EN: "Remote monitoring of chronic patients at home: connected devices, clinical alerts and integration with health records.",
			ZH: "慢性病患者居家远程监护：互联设备、临床告警及与电子病历系统的集成。",
		},
		country: "ES", city: "Barcelona", sectors: []string{"healthcare"}, reg: "B08",
		at: booths{bcn: "3-D09"},
		talks: []talk{{mainStage, expodesk.ES, "Hospital en casa: telemonitorización de 1.200 pacientes crónicos",
			"Qué funcionó y qué no en dos años de seguimiento remoto de pacientes con insuficiencia cardiaca y EPOC."}},
	},
	{
		slug: "nordvik-edge", legal: "Nordvik Edge AB",
		name: expodesk.Text{EN: "Nordvik Edge", ZH: "诺德维克边缘", ES: "Nordvik Edge"},
		desc: expodesk.Text{
			EN: "Secure cellular routers and remote access for industrial equipment, designed and made in Sweden.",
			ES: "Routers celulares seguros y acceso remoto para equipos industriales, diseñados y fabricados en Suecia.",
			ZH: "为工业设备提供安全的蜂窝路由器和远程访问，瑞典设计与制造。",
		},
		country: "SE", city: "Gothenburg", sectors: []string{"connectivity", "security"},
		at: booths{wx: "A3-E05"},
		talks: []talk{{europeStage, expodesk.EN, "Remote access without open ports",
			"Zero-trust connectivity for machines in the field, and how one design meets both EU and Chinese requirements."}},
	},
	{
		slug: "kupferfunk", legal: "Kupferfunk Sensorik GmbH",
		name: expodesk.Text{EN: "Kupferfunk", ZH: "库普芬无线", ES: "Kupferfunk"},
		desc: expodesk.Text{
			EN: "Wireless sensor retrofits for legacy machines: clamp-on current, temperature and vibration sensors installed in five minutes.",
			ES: "Sensores inalámbricos para modernizar máquinas antiguas: corriente, temperatura y vibración con una instalación de cinco minutos.",
			ZH: "为老旧设备加装的无线传感器：卡扣式电流、温度和振动传感，五分钟完成安装。",
		},
		country: "DE", city: "Munich", sectors: []string{"industrial-internet", "connectivity"},
		at: booths{wx: "A3-E06"},
		talks: []talk{{europeStage, expodesk.EN, "Retrofitting the Mittelstand: IoT for 30-year-old machines",
			"Why most factories will never buy new machines to go digital, and what a clamp-on sensor can tell you about an old lathe."}},
	},
	{
		slug: "ribeira-cais", legal: "Ribeira Cais Logística Digital, Lda.",
		name: expodesk.Text{EN: "Ribeira Cais Logistics", ZH: "里贝拉数字物流", ES: "Ribeira Cais Logística"},
		desc: expodesk.Text{
			EN: "Port and rail terminal visibility: container tracking, yard management and customs pre-clearance data.",
			ES: "Visibilidad en terminales portuarias y ferroviarias: seguimiento de contenedores, gestión de patios y datos de predespacho aduanero.",
			ZH: "港口和铁路场站可视化：集装箱追踪、堆场管理与海关预申报数据。",
		},
		country: "PT", city: "Porto", sectors: []string{"logistics"},
		at: booths{wx: "A3-E07"},
		talks: []talk{{europeStage, expodesk.EN, "From the Yangtze to the Douro: one container, two continents",
			"Following a container from a Jiangsu river port to a Portuguese rail terminal, and the data handovers in between."}},
	},
	{
		slug: "sequia-sensors", legal: "Sèquia Sensors, S.L.",
		name: expodesk.Text{EN: "Sèquia Water Sensors", ZH: "塞基亚水务传感", ES: "Sèquia Sensors"},
		desc: expodesk.Text{
			ES: "Sensores de calidad del agua y caudalímetros inteligentes para redes de abastecimiento y depuradoras.",
			EN: "Water-quality sensors and smart flow meters for supply networks and wastewater plants.",
			ZH: "用于供水管网和污水处理厂的水质传感器与智能流量计。",
		},
		country: "ES", city: "Tarragona", sectors: []string{"sensors", "smart-city"}, reg: "B43",
		at: booths{wx: "A3-E08"},
		talks: []talk{
			{europeStage, expodesk.ES, "Agua sin pérdidas: sectorización inteligente de redes de abastecimiento",
				"Cómo los contadores inteligentes y la sectorización ayudaron a municipios del Camp de Tarragona a reducir pérdidas en plena sequía."},
			{europeStage, expodesk.ZH, "地中海城市的智慧水务经验",
				"分享西班牙城市在干旱压力下利用智能表计和分区计量降低管网漏损的做法。"},
		},
	},
	{
		slug: "bancal-listo", legal: "Bancal Listo Agrotech, S.L.",
		name: expodesk.Text{EN: "Bancal Listo Agrotech", ZH: "智垄农业科技", ES: "Bancal Listo"},
		desc: expodesk.Text{
			ES: "Riego por goteo gobernado por IA para hortalizas y cítricos en zonas con escasez de agua.",
			EN: "AI-driven drip irrigation for vegetables and citrus in water-scarce regions.",
			ZH: "面向缺水地区蔬菜和柑橘种植的AI滴灌控制。",
		},
		country: "ES", city: "Murcia", sectors: []string{"agriculture", "ai"}, reg: "B30",
		at: booths{wx: "A3-E09"},
		talks: []talk{{europeStage, expodesk.ES, "Cada gota cuenta: riego con IA en el sureste español",
			"Modelos de evapotranspiración y sensores de suelo para decidir cuándo y cuánto regar, con datos de 3.000 hectáreas de cítricos."}},
	},
	{
		slug: "capteur-clair", legal: "Capteur Clair SAS",
		name: expodesk.Text{EN: "Capteur Clair", ZH: "清感传感", ES: "Capteur Clair"},
		desc: expodesk.Text{
			EN: "Indoor air-quality and comfort sensors for homes and schools, with a privacy-first app.",
			ES: "Sensores de calidad del aire interior y confort para hogares y escuelas, con una aplicación que protege la privacidad.",
			ZH: "面向家庭和学校的室内空气质量与舒适度传感器，配套注重隐私的应用。",
		},
		country: "FR", city: "Lyon", sectors: []string{"smart-home", "sensors"},
		at: booths{wx: "A3-E10"},
		talks: []talk{{europeStage, expodesk.EN, "Better air in classrooms: 400 schools, one year of data",
			"CO₂, temperature and noise in French classrooms, what teachers did with the readings, and what changed."}},
	},

	// A reseller turned down at IOTSWC, and an application to the European
	// Pavilion still waiting: neither may appear in public pages.
	{
		slug: "gadgets-relampago", legal: "Gadgets Relámpago, S.L.",
		name:    expodesk.Text{EN: "Relampago Gadgets", ES: "Gadgets Relámpago"},
		desc:    expodesk.Text{ES: "Distribución de accesorios electrónicos de consumo."},
		country: "ES", city: "Madrid", sectors: []string{"smart-home"}, reg: "B28",
		at: booths{bcn: ""}, status: expodesk.StatusRejected,
	},
	{
		slug: "garbi-robotica", legal: "Garbí Robòtica, S.L.",
		name:    expodesk.Text{EN: "Garbí Robotics", ZH: "加尔比机器人", ES: "Garbí Robòtica"},
		desc:    expodesk.Text{ES: "Robots móviles autónomos para inspección de naves industriales.", EN: "Autonomous mobile robots for inspecting industrial buildings."},
		country: "ES", city: "Palma", sectors: []string{"industrial-internet", "ai"}, reg: "B07",
		at: booths{wx: ""}, status: expodesk.StatusApplied,
	},
}
