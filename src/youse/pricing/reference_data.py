"""The pricing module's reference data (migration 0002), kept by the department in the admin: the
surcharge rule sets of 发改价格〔2013〕2530号 and 〔2021〕1239号 with their years, and the differential
prices of 〔2010〕978号. FACTS.md marks the 2023 and 2025 thresholds and the 978号 prices [verify]: they load
unverified and are shown so until the department confirms them."""

SOURCE_2530 = "发改价格〔2013〕2530号 关于调整电解铝企业用电价格政策有关问题的通知"
SOURCE_1239 = "发改价格〔2021〕1239号 关于完善电解铝行业阶梯电价政策的通知"
SOURCE_978 = "发改价格〔2010〕978号 关于清理对高耗能企业优惠电价等问题的通知"

# (code, document, measure, method, first, last, tiers, threshold, step kWh, step surcharge, renewable base,
#  reduction per point, verified)
RULE_SETS = [
    ("2530", SOURCE_2530, "electrolysis_ac", "tiers", 2014, 2021,
     [{"above": "13700", "surcharge": "0.02"}, {"above": "13800", "surcharge": "0.08"}],
     None, None, None, None, None, True),
    ("1239-2022", SOURCE_1239, "comprehensive_ac", "steps", 2022, 2022, [], "13650", "20", "0.01", "15", "1", True),
    ("1239-2023", SOURCE_1239, "comprehensive_ac", "steps", 2023, 2024, [], "13450", "20", "0.01", "15", "1", False),
    ("1239-2025", SOURCE_1239, "comprehensive_ac", "steps", 2025, None, [], "13300", "20", "0.01", "15", "1", False),
]  # fmt: skip

# (category, surcharge 元/kWh, first year, verified)
DIFFERENTIALS = [("restricted", "0.10", 2010, False), ("eliminated", "0.30", 2010, False)]


def load(apps) -> None:
    RuleSet = apps.get_model("pricing", "SurchargeRuleSet")
    Differential = apps.get_model("pricing", "DifferentialPrice")
    for code, doc, measure, method, first, last, tiers, thr, step, per, base, red, verified in RULE_SETS:
        RuleSet.objects.create(
            code=code, document=doc.split(" ")[0], measure=measure, method=method, first_year=first, last_year=last,
            tiers=tiers, threshold=thr, step_kwh=step, step_surcharge=per, renewable_base_share=base,
            reduction_per_point=red, source=doc, verified=verified,
        )  # fmt: skip
    for category, surcharge, first, verified in DIFFERENTIALS:
        Differential.objects.create(
            category=category,
            surcharge=surcharge,
            document=SOURCE_978.split(" ")[0],
            first_year=first,
            source=SOURCE_978,
            verified=verified,
        )


def unload(apps) -> None:
    apps.get_model("pricing", "SurchargeRuleSet").objects.all().delete()
    apps.get_model("pricing", "DifferentialPrice").objects.all().delete()
