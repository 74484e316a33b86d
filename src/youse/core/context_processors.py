from django.conf import settings

from youse.core import modules


def platform(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "province_name": settings.YOUSE_PROVINCE_NAME,
        "province_name_en": settings.YOUSE_PROVINCE_NAME_EN,
        "site_title": settings.YOUSE_SITE_TITLE,
        "nav_modules": modules.navigation(user),
        "synthetic_data": modules.synthetic_data_loaded(),
    }
