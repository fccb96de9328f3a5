"""Front-page text for the demo, in English and Russian."""

from wagtail.models import Locale

from .models import HomePage

BODY = {
    "en": (
        "<h2>Who the courses are for</h2>"
        "<p>Border police officers, labour inspectors, social workers, prosecutors, "
        "judges, consular staff and NGO case workers who meet migrants and possible "
        "victims of trafficking in their daily work.</p>"
        "<h2>How it works</h2>"
        "<ol><li>Create an account and tell us where you work.</li>"
        "<li>Enrol in a course and learn at your own pace, on a computer or a "
        "phone.</li>"
        "<li>Pass the final assessment and receive a certificate that any employer "
        "can verify.</li></ol>"
    ),
    "ru": (
        "<h2>Для кого эти курсы</h2>"
        "<p>Для сотрудников пограничной полиции, трудовых инспекторов, социальных "
        "работников, прокуроров, судей, консульских работников и специалистов НКО, "
        "которые в повседневной работе встречаются с мигрантами и возможными "
        "жертвами торговли людьми.</p>"
        "<h2>Как это работает</h2>"
        "<ol><li>Создайте учётную запись и укажите, где вы работаете.</li>"
        "<li>Запишитесь на курс и учитесь в своём темпе — на компьютере или "
        "телефоне.</li>"
        "<li>Пройдите итоговую проверку знаний и получите сертификат, который может "
        "проверить любой работодатель.</li></ol>"
    ),
}


def seed(context):
    for code, body in BODY.items():
        locale = Locale.objects.filter(language_code=code).first()
        page = HomePage.objects.filter(locale=locale).first() if locale else None
        if page is not None and page.body != body:
            page.body = body
            page.save_revision().publish()
