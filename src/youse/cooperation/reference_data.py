"""The host countries the province's enterprises invest in (migration 0002), kept by the department in
the admin: ISO 3166-1 alpha-2 codes with their Chinese and English names, the region, and whether the
country has signed a Belt and Road cooperation document with China (一带一路合作文件)."""

SOURCE = "ISO 3166-1；中国一带一路网 已同签署共建一带一路合作文件的国家一览"

# (code, Chinese name, English name, region, Belt and Road)
COUNTRIES = [
    ("KZ", "哈萨克斯坦", "Kazakhstan", "中亚", True),
    ("KG", "吉尔吉斯斯坦", "Kyrgyzstan", "中亚", True),
    ("TJ", "塔吉克斯坦", "Tajikistan", "中亚", True),
    ("UZ", "乌兹别克斯坦", "Uzbekistan", "中亚", True),
    ("TM", "土库曼斯坦", "Turkmenistan", "中亚", True),
    ("MN", "蒙古", "Mongolia", "东北亚", True),
    ("RU", "俄罗斯", "Russia", "东欧", True),
    ("ID", "印度尼西亚", "Indonesia", "东南亚", True),
    ("VN", "越南", "Viet Nam", "东南亚", True),
    ("LA", "老挝", "Laos", "东南亚", True),
    ("MY", "马来西亚", "Malaysia", "东南亚", True),
    ("TH", "泰国", "Thailand", "东南亚", True),
    ("MM", "缅甸", "Myanmar", "东南亚", True),
    ("KH", "柬埔寨", "Cambodia", "东南亚", True),
    ("PH", "菲律宾", "Philippines", "东南亚", True),
    ("PK", "巴基斯坦", "Pakistan", "南亚", True),
    ("SA", "沙特阿拉伯", "Saudi Arabia", "西亚", True),
    ("AE", "阿联酋", "United Arab Emirates", "西亚", True),
    ("OM", "阿曼", "Oman", "西亚", True),
    ("IR", "伊朗", "Iran", "西亚", True),
    ("TR", "土耳其", "Türkiye", "西亚", True),
    ("GN", "几内亚", "Guinea", "非洲", True),
    ("CD", "刚果（金）", "DR Congo", "非洲", True),
    ("ZM", "赞比亚", "Zambia", "非洲", True),
    ("ZW", "津巴布韦", "Zimbabwe", "非洲", True),
    ("GH", "加纳", "Ghana", "非洲", True),
    ("EG", "埃及", "Egypt", "非洲", True),
    ("RS", "塞尔维亚", "Serbia", "欧洲", True),
    ("AU", "澳大利亚", "Australia", "大洋洲", False),
    ("CL", "智利", "Chile", "南美", True),
    ("PE", "秘鲁", "Peru", "南美", True),
    ("BR", "巴西", "Brazil", "南美", False),
]


def load(apps) -> None:
    Country = apps.get_model("cooperation", "Country")
    for order, (code, name, name_en, region, bri) in enumerate(COUNTRIES, start=1):
        Country.objects.create(
            code=code, name=name, name_en=name_en, region=region, belt_and_road=bri, order=order, source=SOURCE,
            verified=True,
        )  # fmt: skip


def unload(apps) -> None:
    apps.get_model("cooperation", "Country").objects.all().delete()
