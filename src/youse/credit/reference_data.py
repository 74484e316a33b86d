"""The credit module's reference data (migration 0002): the default criteria of the list of backbone
enterprises eligible for credit support, read from clause 三(五) (符合行业规范条件、环境保护和安全生产持续达标、
有市场前景和经营效益的骨干企业). The revenue threshold is the department's choice, not the policy's: it loads
unverified until the department confirms it in the admin."""

POLICY = "《陕西省有色金属工业转型升级实施方案》三(五) 加强金融扶持"

# (order, code, kind, params, label, English label, basis, verified)
CRITERIA = [
    (10, "in-business", "in_business", {}, "在营企业", "In business",
     f"{POLICY}；企业登记状态", True),
    (20, "backbone", "backbone", {"min_revenue_yi": 5, "key_groups": []},
     "骨干企业（上年主营业务收入达标或重点企业集团成员）",
     "Backbone enterprise (revenue of the last full year, or a key group)",
     f"{POLICY}：有市场前景和经营效益的骨干企业", False),
    (30, "norms", "inspection_passed", {}, "最近一次检查符合行业规范条件",
     "Latest inspection meets the industry norms",
     f"{POLICY}：符合行业规范条件；二(八) 专项检查", True),
    (40, "no-open-order", "no_open_order", {}, "无未整改完毕的整改通知", "No open rectification order",
     f"{POLICY}：环境保护和安全生产持续达标；二(八) 限期整改", True),
    (50, "no-exceedance", "no_exceedance", {"months": 12}, "近12个月无在线监测超标报警",
     "No exceedance alarm in the last twelve months",
     f"{POLICY}：环境保护持续达标；在线监测超标报警", True),
    (60, "no-capacity-violation", "no_capacity_violation", {}, "无未处理的违规产能", "No open capacity violation",
     f"{POLICY}：落实有扶有控的信贷政策；三(四) 产能置换", True),
    (70, "no-closure", "no_closure", {}, "未列入关停退出", "Not in a decided or executed closure",
     f"{POLICY}：有扶有控；三(三) 关停退出", True),
]  # fmt: skip


def load(apps) -> None:
    Criterion = apps.get_model("credit", "Criterion")
    for order, code, kind, params, label, label_en, basis, verified in CRITERIA:
        Criterion.objects.create(
            order=order, code=code, kind=kind, params=params, label=label, label_en=label_en, basis=basis,
            source=POLICY, verified=verified,
        )  # fmt: skip


def unload(apps) -> None:
    apps.get_model("credit", "Criterion").objects.filter(code__in=[c[1] for c in CRITERIA]).delete()
