"""The demo's international capacity cooperation (clause 二(六)), written through cooperation.services.

Twelve overseas projects of the leader enterprises, shaped on the province's Belt and Road dealings: the
Weinan molybdenum leader's acquisition in Kazakhstan and stake in a Mongolian copper-molybdenum mine, the
Yulin aluminium-magnesium leader's bauxite in Guinea and alumina in Indonesia, the Baoji titanium leader's
sponge titanium in Russia (suspended under sanctions) and mineral sands in Viet Nam, the zinc smelters'
mines in Tajikistan, Pakistan (exited) and Laos, Tongchuan's share swap in Saudi Arabia. Across the four
modes (控股, 参股, 收购, 股权置换), every status and risk level; one project returned, one submitted and one
still a draft.

The enterprise personas register their own; Baoji's city registers Fengxian's; the department enters those
of enterprises without a persona, as it does for paper submissions. The projects predate the platform:
each is filed now, with its earlier life cycle reported after, dated when it happened, and the department's
annual reviews (年度评估) of 2023 and 2024. Every name of a company abroad is invented (示例)."""

import datetime as dt

from youse.cooperation import services
from youse.cooperation.models import OverseasProject, Partner, Review, StatusChange
from youse.core.models import User
from youse.registry.models import Enterprise

D = dt.date
REVIEWER = "省工业和信息化厅对外经济合作处（示例）"
BACKFILL = "平台上线前已备案项目补录（示例）"

# key: (enterprise key, registering persona, project fields, partners, progress [(status, date, invested, note)],
#       reviews [(year, reviewed on, risk, findings, recommendations)], filing, flag reason or "")
PROJECTS = [
    (
        "weinan-mo",
        "gxt",
        {
            "name": "哈萨克斯坦东部钼矿收购项目（示例）",
            "country": "KZ",
            "location": "东哈萨克斯坦州",
            "metal": "Mo",
            "stage": "mining",
            "mode": "acquisition",
            "equity_share": "70",
            "total_investment": "28000",
            "chinese_investment": "19600",
            "product": "钼精矿（45%）",
            "capacity": "6000",
            "signed_on": D(2019, 6, 18),
            "ndrc_filing_no": "陕发改外资备〔2019〕32号（示例）",
            "mofcom_certificate_no": "境外投资证第N6100201900045号（示例）",
            "risk_level": "medium",
            "risk_political": "东道国政局总体稳定；地下资源法对外资矿权转让设有优先购买权。",
            "risk_fx": "坚戈对美元波动较大，产品以美元计价结算，成本以坚戈支付。",
            "risk_legal": "矿权续期及环境许可须按新《地下资源和地下资源利用法典》重新办理。",
            "risk_environmental": "尾矿库位于额尔齐斯河支流上游，须执行东道国及国际金融公司环境社会绩效标准。",
            "risk_market": "钼价周期性波动，2023 年以来价格处于高位。",
        },
        [
            ("foreign", "Shygys Molybdenum LLP（示例）", "原股东，保留 30% 股权"),
            ("domestic", "国家开发银行陕西省分行", "并购贷款"),
        ],
        [
            ("approved", D(2019, 11, 5), "2000", "取得发改委备案通知书和商务厅境外投资证书"),
            ("operating", D(2020, 4, 1), "19600", "股权交割完成，在产矿山并表运营"),
        ],
        [
            (
                2023,
                D(2024, 3, 18),
                "medium",
                "生产正常，精矿全部回运国内冶炼；坚戈贬值增加当地成本。",
                "建立汇率风险对冲机制；按季度报送生产经营情况。",
            ),
            (
                2024,
                D(2025, 3, 20),
                "medium",
                "完成矿权续期；尾矿库加高工程通过当地环保验收。",
                "跟踪东道国资源税调整；完善社区沟通机制。",
            ),
        ],
        "filed",
        "",
    ),
    (
        "weinan-mo",
        "gxt",
        {
            "name": "蒙古南戈壁铜钼矿参股项目（示例）",
            "country": "MN",
            "location": "南戈壁省",
            "metal": "Mo",
            "stage": "mining",
            "mode": "stake",
            "equity_share": "35",
            "total_investment": "46000",
            "chinese_investment": "16100",
            "product": "铜钼混合精矿",
            "capacity": "12000",
            "signed_on": D(2021, 8, 10),
            "ndrc_filing_no": "陕发改外资备〔2022〕9号（示例）",
            "mofcom_certificate_no": "境外投资证第N6100202200012号（示例）",
            "risk_level": "high",
            "risk_political": "《矿产法》修订拟提高战略矿床国家持股比例，存在股权被稀释风险。",
            "risk_fx": "图格里克汇率波动，外汇管制趋严。",
            "risk_legal": "矿业许可审批周期长；水资源使用许可须单独办理。",
            "risk_environmental": "戈壁荒漠区水资源紧缺，须采用干排尾矿工艺。",
            "risk_market": "铜钼价格联动，运输依赖跨境铁路口岸通关能力。",
        },
        [
            ("foreign", "Gobi Copper-Moly LLC（示例）", "控股方、项目运营方"),
            ("domestic", "中国进出口银行陕西省分行", "项目融资"),
            ("domestic", "中国有色金属建设股份有限公司", "EPC 总承包（示例）"),
        ],
        [
            ("approved", D(2022, 3, 15), "1500", "完成境外投资备案"),
            ("construction", D(2023, 5, 20), "6500", "选矿厂土建开工"),
            ("construction", D(2024, 9, 30), "9800", "采矿剥离完成 60%，选矿厂设备安装"),
        ],
        [
            (
                2024,
                D(2025, 3, 21),
                "high",
                "东道国矿产法修订草案拟将战略矿床国家持股提高至 34% 以上；工期滞后约 6 个月。",
                "评估股权稀释对投资回报的影响；与合作方协商股东协议保护条款。",
            ),
        ],
        "filed",
        "蒙古《矿产法》修订可能提高国家持股比例，须跟踪评估。",
    ),
    (
        "yulin-almg",
        "ent-a",
        {
            "name": "几内亚博凯铝土矿项目（示例）",
            "country": "GN",
            "location": "博凯地区",
            "metal": "Al",
            "stage": "mining",
            "mode": "holding",
            "equity_share": "60",
            "total_investment": "62000",
            "chinese_investment": "37200",
            "product": "铝土矿（Al₂O₃ ≥ 45%）",
            "capacity": "10000000",
            "signed_on": D(2018, 5, 12),
            "ndrc_filing_no": "发改办外资备〔2018〕611号（示例）",
            "mofcom_certificate_no": "境外投资证第N6100201800087号（示例）",
            "risk_level": "high",
            "risk_political": "2021 年军政府接管政权，过渡期安排存在不确定性；政府要求在当地建设氧化铝厂。",
            "risk_fx": "几内亚法郎不可自由兑换，利润汇回须经央行审批。",
            "risk_legal": "《矿业法》要求国家无偿持股 15%，并可增持至 35%。",
            "risk_environmental": "雨季道路及港口作业受限；须落实移民安置与社区发展协议。",
            "risk_market": "国内氧化铝企业对进口铝土矿依赖度高，海运费波动影响到岸成本。",
        },
        [
            ("foreign", "Société Minière de Boké（示例）", "合资方，持股 25%"),
            ("foreign", "几内亚政府", "国家持股 15%"),
            ("domestic", "中国出口信用保险公司陕西分公司", "海外投资保险"),
        ],
        [
            ("approved", D(2018, 10, 20), "3000", ""),
            ("construction", D(2019, 3, 1), "15000", "矿区道路和驳船码头开工"),
            ("operating", D(2021, 6, 30), "34000", "一期 600 万吨/年投产"),
            ("operating", D(2024, 6, 30), "36500", "二期达产，合计 1000 万吨/年"),
        ],
        [
            (
                2023,
                D(2024, 3, 19),
                "high",
                "过渡政府要求矿业企业提交氧化铝厂建设计划；出口正常。",
                "研究在当地配套氧化铝产能的可行性；投保政治风险。",
            ),
            (
                2024,
                D(2025, 3, 19),
                "high",
                "政府收回部分未按期开发矿权，本项目矿权未受影响；利润汇回审批延迟。",
                "保持与矿业部沟通；按季度报送矿权和出口情况。",
            ),
        ],
        "filed",
        "东道国政局及矿权政策变化，利润汇回受限。",
    ),
    (
        "yulin-almg",
        "ent-a",
        {
            "name": "印尼西加里曼丹氧化铝参股项目（示例）",
            "country": "ID",
            "location": "西加里曼丹省",
            "metal": "Al",
            "stage": "smelting",
            "mode": "stake",
            "equity_share": "30",
            "total_investment": "98000",
            "chinese_investment": "29400",
            "product": "冶金级氧化铝",
            "capacity": "1000000",
            "signed_on": D(2022, 9, 5),
            "ndrc_filing_no": "陕发改外资备〔2023〕4号（示例）",
            "mofcom_certificate_no": "",
            "risk_level": "medium",
            "risk_political": "印尼 2023 年 6 月起禁止铝土矿原矿出口，鼓励就地冶炼。",
            "risk_fx": "印尼盾波动；出口收汇须在境内留存一定比例。",
            "risk_legal": "本地化采购和用工比例要求。",
            "risk_environmental": "赤泥堆存及港口疏浚须取得环境影响评价批准。",
            "risk_market": "氧化铝产能集中释放，价格承压。",
        },
        [
            ("foreign", "PT Kalbar Alumina Nusantara（示例）", "控股方"),
            ("domestic", "山东某铝业集团（示例）", "共同投资方，持股 30%"),
        ],
        [
            ("approved", D(2023, 1, 16), "2000", ""),
            ("construction", D(2023, 7, 1), "12000", "一期 100 万吨/年开工"),
        ],
        [
            (
                2024,
                D(2025, 3, 24),
                "medium",
                "建设进度符合计划；原矿出口禁令利好本地冶炼。",
                "关注赤泥库环评批复进度。",
            ),
        ],
        "filed",
        "",
    ),
    (
        "yulin-almg",
        "ent-a",
        {
            "name": "马来西亚沙捞越铝合金棒项目（示例）",
            "country": "MY",
            "location": "沙捞越州民都鲁萨马拉珠工业园",
            "metal": "Al",
            "stage": "processing",
            "mode": "holding",
            "equity_share": "51",
            "total_investment": "15000",
            "chinese_investment": "7650",
            "product": "6063 铝合金圆铸棒",
            "capacity": "200000",
            "signed_on": D(2025, 4, 8),
            "risk_level": "low",
            "risk_political": "政局稳定，州政府以水电优惠电价招商。",
            "risk_fx": "林吉特汇率相对稳定。",
            "risk_market": "产品主要销往东南亚建筑型材市场。",
        },
        [("foreign", "Samalaju Aluminium Sdn Bhd（示例）", "合资方，提供铝液")],
        [],
        [],
        "submitted",
        "",
    ),
    (
        "tongchuan-al",
        "gxt",
        {
            "name": "沙特朱拜勒铝板带股权置换项目（示例）",
            "country": "SA",
            "location": "朱拜勒工业城",
            "metal": "Al",
            "stage": "deep_processing",
            "mode": "share_swap",
            "equity_share": "20",
            "total_investment": "36000",
            "chinese_investment": "7200",
            "product": "罐体料、汽车板",
            "capacity": "300000",
            "signed_on": D(2024, 2, 20),
            "ndrc_filing_no": "陕发改外资备〔2024〕15号（示例）",
            "mofcom_certificate_no": "境外投资证第N6100202400033号（示例）",
            "risk_level": "medium",
            "risk_political": "东道国推进“2030 愿景”，欢迎制造业投资。",
            "risk_legal": "股权置换涉及境内资产评估及国资备案。",
            "risk_market": "中东汽车板需求增长，竞争对手扩产。",
        },
        [
            ("foreign", "Gulf Aluminium Rolling Co.（示例）", "控股方，以其股权置换我方铝合金业务股权"),
        ],
        [("approved", D(2024, 8, 12), "1500", "股权置换协议获双方股东会批准")],
        [(2024, D(2025, 3, 26), "low", "置换完成，合作方经营稳健。", "按年度报送被投资企业财务报表。")],
        "filed",
        "",
    ),
    (
        "tongchuan-al",
        "gxt",
        {
            "name": "阿联酋哈利法再生铝项目（示例）",
            "country": "AE",
            "location": "哈利法工业区",
            "metal": "Al",
            "stage": "recycling",
            "mode": "holding",
            "equity_share": "70",
            "total_investment": "9000",
            "product": "再生铝锭",
            "capacity": "100000",
            "risk_level": "medium",
        },
        [],
        [],
        [],
        "draft",
        "",
    ),
    (
        "baoji-ti",
        "ent-b",
        {
            "name": "俄罗斯乌拉尔海绵钛参股项目（示例）",
            "country": "RU",
            "location": "斯维尔德洛夫斯克州",
            "metal": "Ti",
            "stage": "smelting",
            "mode": "stake",
            "equity_share": "25",
            "total_investment": "24000",
            "chinese_investment": "6000",
            "product": "海绵钛（0 级、1 级）",
            "capacity": "15000",
            "signed_on": D(2019, 4, 2),
            "ndrc_filing_no": "陕发改外资备〔2019〕18号（示例）",
            "mofcom_certificate_no": "境外投资证第N6100201900021号（示例）",
            "risk_level": "high",
            "risk_political": "2022 年以来西方制裁持续，项目相关方可能被列入制裁名单。",
            "risk_fx": "卢布大幅波动；美元结算通道受限，改用人民币结算。",
            "risk_legal": "俄方外资审查及“不友好国家”资金汇出限制。",
            "risk_market": "航空级海绵钛出口受限，产品转向民用。",
        },
        [
            ("foreign", "Ural Titanium JSC（示例）", "控股方"),
            ("domestic", "中国银行陕西省分行", "跨境人民币结算"),
        ],
        [
            ("approved", D(2019, 9, 10), "800", ""),
            ("construction", D(2020, 3, 15), "3800", "扩能改造开工"),
            ("suspended", D(2022, 4, 1), None, "受国际制裁及结算通道影响，暂停后续出资"),
        ],
        [
            (2023, D(2024, 3, 20), "high", "项目暂停；已出资部分无法汇回。", "暂停新增出资；评估退出方案。"),
            (
                2024,
                D(2025, 3, 20),
                "high",
                "制裁范围扩大；合作方提出回购我方股权意向。",
                "聘请第三方评估股权价值，研究有序退出。",
            ),
        ],
        "filed",
        "受国际制裁影响暂停，研究有序退出。",
    ),
    (
        "baoji-ti",
        "ent-b",
        {
            "name": "越南平顺钛锆砂矿项目（示例）",
            "country": "VN",
            "location": "平顺省",
            "metal": "Ti",
            "stage": "mining",
            "mode": "holding",
            "equity_share": "55",
            "total_investment": "8600",
            "chinese_investment": "4730",
            "product": "钛铁矿、锆英砂",
            "capacity": "80000",
            "signed_on": D(2017, 3, 10),
            "ndrc_filing_no": "陕发改外资备〔2017〕41号（示例）",
            "mofcom_certificate_no": "境外投资证第N6100201700052号（示例）",
            "risk_level": "medium",
            "risk_political": "中越经贸关系总体稳定。",
            "risk_legal": "越南对钛矿出口征收出口关税并限制原矿出口。",
            "risk_environmental": "沿海砂矿开采须复垦植被、防止海岸侵蚀。",
            "risk_market": "钛精矿价格与国内钛白粉、海绵钛需求联动。",
        },
        [
            ("foreign", "Binh Thuan Mineral JSC（示例）", "合资方"),
        ],
        [
            ("approved", D(2017, 8, 22), "500", ""),
            ("construction", D(2018, 1, 5), "3000", ""),
            ("operating", D(2019, 5, 18), "4730", "选矿厂投产"),
        ],
        [
            (2023, D(2024, 3, 22), "low", "运营正常，复垦完成率 85%。", ""),
            (2024, D(2025, 3, 22), "medium", "越南提高钛矿出口关税，出口量下降。", "研究在当地建设钛渣冶炼配套。"),
        ],
        "filed",
        "",
    ),
    (
        "mianxian-zn",
        "gxt",
        {
            "name": "老挝琅勃拉邦铅锌矿项目（示例）",
            "country": "LA",
            "location": "琅勃拉邦省",
            "metal": "Zn",
            "stage": "mining",
            "mode": "holding",
            "equity_share": "65",
            "total_investment": "12000",
            "chinese_investment": "7800",
            "product": "锌精矿、铅精矿",
            "capacity": "30000",
            "signed_on": D(2025, 1, 15),
            "risk_level": "medium",
            "risk_fx": "基普贬值明显，外汇短缺。",
            "risk_environmental": "矿区位于湄公河支流流域。",
        },
        [("foreign", "Lao Northern Mining Co.（示例）", "合资方")],
        [],
        [],
        "returned",
        "",
    ),
    (
        "fengxian-zn",
        "baoji",
        {
            "name": "塔吉克斯坦索格德铅锌矿收购项目（示例）",
            "country": "TJ",
            "location": "索格德州",
            "metal": "Zn",
            "stage": "mining",
            "mode": "acquisition",
            "equity_share": "100",
            "total_investment": "15500",
            "chinese_investment": "15500",
            "product": "锌精矿、铅精矿",
            "capacity": "45000",
            "signed_on": D(2016, 7, 1),
            "ndrc_filing_no": "陕发改外资备〔2016〕27号（示例）",
            "mofcom_certificate_no": "境外投资证第N6100201600038号（示例）",
            "risk_level": "medium",
            "risk_political": "边境地区安全形势须持续关注。",
            "risk_fx": "索莫尼贬值；利润汇出须缴纳预提税。",
            "risk_market": "精矿经中亚铁路运回凤县冶炼，运输成本高。",
        },
        [("domestic", "中国信保陕西分公司", "海外投资保险")],
        [
            ("approved", D(2016, 12, 15), "15500", "收购款一次付清"),
            ("operating", D(2017, 3, 1), None, "完成交割，在产矿山"),
        ],
        [
            (2023, D(2024, 3, 25), "medium", "生产稳定，精矿回运正常。", ""),
            (
                2024,
                D(2025, 3, 25),
                "high",
                "东道国提高矿产资源开采税并要求部分精矿就地加工。",
                "评估税负变化；研究当地合作冶炼。",
            ),
        ],
        "filed",
        "",
    ),
    (
        "fengxian-zn",
        "baoji",
        {
            "name": "巴基斯坦俾路支斯坦铅锌矿参股项目（示例）",
            "country": "PK",
            "location": "俾路支斯坦省拉斯贝拉县",
            "metal": "Zn",
            "stage": "mining",
            "mode": "stake",
            "equity_share": "40",
            "total_investment": "21000",
            "chinese_investment": "8400",
            "product": "锌精矿",
            "capacity": "25000",
            "signed_on": D(2018, 11, 20),
            "ndrc_filing_no": "陕发改外资备〔2019〕11号（示例）",
            "mofcom_certificate_no": "境外投资证第N6100201900016号（示例）",
            "risk_level": "high",
            "risk_political": "项目所在地安全形势复杂，中方人员安保要求高。",
            "risk_fx": "巴基斯坦卢比大幅贬值，外汇储备紧张。",
        },
        [("foreign", "Lasbela Minerals (Pvt) Ltd（示例）", "控股方")],
        [
            ("approved", D(2019, 5, 6), "800", ""),
            ("construction", D(2020, 1, 10), "2300", ""),
            ("suspended", D(2021, 9, 1), None, "安全形势恶化，中方人员撤回"),
            ("exited", D(2023, 6, 30), None, "向合作方转让全部股权，回收投资 1900 万美元"),
        ],
        [(2023, D(2024, 3, 26), "high", "已完成股权转让和外汇登记注销。", "总结退出经验，纳入境外投资风险案例库。")],
        "filed",
        "",
    ),
]
RETURN_REASON = "缺少发改委境外投资项目备案通知书及商务厅境外投资证书；请补充后重新报送。"


def build(users: dict[str, User], by_key: dict[str, Enterprise], today: dt.date) -> None:
    department = users["gxt"]
    for key, who, fields, partners, progress, reviews, filing, flag in PROJECTS:
        enterprise = by_key.get(key)
        if enterprise is None:
            continue
        actor = users.get(who, department)
        rows = [{"side": s, "name": n, "role": r} for s, n, r in partners]
        project = services.create_project(actor, enterprise, fields, rows, reason="示例数据")
        if filing == "draft":
            continue
        services.submit_project(actor, project)
        if filing == "submitted":
            continue
        if filing == "returned":
            services.return_project(department, project, RETURN_REASON)
            continue
        services.file_project(department, project, note=BACKFILL)
        for status, on, invested, note in progress:
            if on > today:
                break
            services.report_progress(actor, project, {"status": status, "on": on, "invested": invested, "note": note})
        for year, on, risk, findings, advice in reviews:
            if on > today:
                continue
            services.record_review(
                department,
                project,
                {
                    "year": year,
                    "reviewed_on": on,
                    "reviewer": REVIEWER,
                    "risk_level": risk,
                    "findings": findings,
                    "recommendations": advice,
                },
            )
        if flag:
            services.flag_project(department, project, True, flag)


def counts() -> dict[str, int]:
    return {
        "overseas_projects": OverseasProject.objects.count(),
        "overseas_partners": Partner.objects.count(),
        "overseas_status_changes": StatusChange.objects.count(),
        "overseas_reviews": Review.objects.count(),
    }
