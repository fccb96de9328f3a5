"""Text of the demo course "Identifying and referring victims of trafficking",
in English and Russian. Each lesson: slug, completion mode, minutes, and per
language a title, a summary and body blocks. ``IMG:<name>`` marks an image the
seed generates; ``DOC:<name>`` a document."""

COURSE = {
    "slug": "identifying-and-referring-victims",
    "hours": "4",
    "level": "introductory",
    "topics": {
        "en": ["trafficking", "identification", "referral", "children"],
        "ru": ["торговля людьми", "идентификация", "перенаправление", "дети"],
    },
    "en": {
        "title": "Identifying and referring victims of trafficking",
        "summary": (
            "Recognise the signs of trafficking in human beings, talk safely to a "
            "person who may be a victim, and refer them to protection through your "
            "country's national referral mechanism."
        ),
        "objectives": (
            "<ul><li>Explain the three elements of trafficking (act, means, "
            "purpose) and how it differs from migrant smuggling</li>"
            "<li>Recognise general, labour and sexual exploitation indicators</li>"
            "<li>Hold a safe first conversation with a presumed victim</li>"
            "<li>Refer a presumed victim through the national referral "
            "mechanism</li><li>Apply the extra safeguards owed to unaccompanied "
            "and separated children</li></ul>"
        ),
        "audience": (
            "<p>Border police, labour inspectors, social workers, consular staff "
            "and NGO case workers who may be the first to meet a victim. No "
            "previous training is needed.</p>"
        ),
    },
    "ru": {
        "title": "Выявление и перенаправление жертв торговли людьми",
        "summary": (
            "Научитесь распознавать признаки торговли людьми, безопасно "
            "разговаривать с человеком, который может быть жертвой, и "
            "перенаправлять его за защитой через национальный механизм "
            "перенаправления вашей страны."
        ),
        "objectives": (
            "<ul><li>Объяснять три элемента торговли людьми (действие, способ, "
            "цель) и её отличие от незаконного ввоза мигрантов</li>"
            "<li>Распознавать общие признаки, а также признаки трудовой и "
            "сексуальной эксплуатации</li>"
            "<li>Безопасно провести первый разговор с предполагаемой жертвой</li>"
            "<li>Перенаправить предполагаемую жертву через национальный механизм "
            "перенаправления</li><li>Применять дополнительные гарантии для "
            "несопровождаемых и разлучённых с семьёй детей</li></ul>"
        ),
        "audience": (
            "<p>Пограничники, инспекторы труда, социальные работники, "
            "сотрудники консульств и НКО, которые могут первыми встретить "
            "жертву. Предварительная подготовка не требуется.</p>"
        ),
    },
}

MODULES = [
    {
        "slug": "understanding-trafficking",
        "en": {
            "title": "Understanding trafficking in human beings",
            "summary": "What trafficking is, what it is not, and how it looks in "
            "the region.",
        },
        "ru": {
            "title": "Что такое торговля людьми",
            "summary": "Что является торговлей людьми, что ею не является и как "
            "она проявляется в регионе.",
        },
        "lessons": ["definition", "smuggling", "forms"],
    },
    {
        "slug": "identifying-presumed-victims",
        "en": {
            "title": "Identifying presumed victims",
            "summary": "Indicators, the first conversation and a case to practise on.",
        },
        "ru": {
            "title": "Выявление предполагаемых жертв",
            "summary": "Признаки, первый разговор и случай для практики.",
        },
        "lessons": ["indicators", "first-contact", "case-construction"],
    },
    {
        "slug": "referral-and-protection",
        "en": {
            "title": "Referral and protection",
            "summary": "National referral mechanisms, children, and the rights of "
            "victims.",
        },
        "ru": {
            "title": "Перенаправление и защита",
            "summary": "Национальные механизмы перенаправления, дети и права жертв.",
        },
        "lessons": ["nrm", "children", "rights"],
    },
]

LESSONS = {
    "definition": {
        "mode": "view",
        "minutes": 15,
        "en": {
            "title": "What trafficking in human beings is",
            "summary": "The three elements of the international definition.",
            "body": [
                (
                    "rich_text",
                    "<p>The Palermo Protocol (2000), which every country of the "
                    "region has ratified, defines trafficking in persons through "
                    "three elements that must all be present for an adult:</p>"
                    "<ol><li><b>The act</b>: recruitment, transportation, "
                    "transfer, harbouring or receipt of a person.</li>"
                    "<li><b>The means</b>: threat or use of force, coercion, "
                    "abduction, fraud, deception, abuse of power or of a position "
                    "of vulnerability, or giving payments to a person having "
                    "control over another.</li><li><b>The purpose</b>: "
                    "exploitation, which includes at a minimum the exploitation of "
                    "the prostitution of others or other forms of sexual "
                    "exploitation, forced labour or services, slavery or "
                    "practices similar to slavery, servitude and the removal of "
                    "organs.</li></ol>",
                ),
                ("image", "IMG:elements"),
                (
                    "callout",
                    (
                        "note",
                        "Children: the means are not needed",
                        "<p>When the person is under 18, the act and the purpose "
                        "are enough. A child cannot consent to their own "
                        "exploitation, and nobody needs to prove deception or "
                        "force.</p>",
                    ),
                ),
                (
                    "rich_text",
                    "<p>The <b>consent</b> of an adult victim to the intended "
                    "exploitation is irrelevant once any of the means has been "
                    "used. A woman who agreed to work in a bar abroad has not "
                    "agreed to have her passport taken and her wages withheld.</p>"
                    "<p>Trafficking does not require crossing a border: internal "
                    "trafficking, for example from rural areas to the capital, is "
                    "common in the region.</p>",
                ),
            ],
        },
        "ru": {
            "title": "Что такое торговля людьми",
            "summary": "Три элемента международного определения.",
            "body": [
                (
                    "rich_text",
                    "<p>Палермский протокол (2000), ратифицированный всеми "
                    "странами региона, определяет торговлю людьми через три "
                    "элемента, которые для взрослого должны присутствовать "
                    "одновременно:</p><ol><li><b>Действие</b>: вербовка, "
                    "перевозка, передача, укрывательство или получение "
                    "человека.</li><li><b>Способ</b>: угроза силой или её "
                    "применение, принуждение, похищение, мошенничество, обман, "
                    "злоупотребление властью или уязвимостью положения, подкуп "
                    "лица, контролирующего другое лицо.</li><li><b>Цель</b>: "
                    "эксплуатация, включающая как минимум эксплуатацию "
                    "проституции других лиц или другие формы сексуальной "
                    "эксплуатации, принудительный труд или услуги, рабство и "
                    "сходные с ним обычаи, подневольное состояние и извлечение "
                    "органов.</li></ol>",
                ),
                ("image", "IMG:elements"),
                (
                    "callout",
                    (
                        "note",
                        "Дети: способ доказывать не нужно",
                        "<p>Если человеку нет 18 лет, достаточно действия и "
                        "цели. Ребёнок не может согласиться на собственную "
                        "эксплуатацию, и доказывать обман или силу не нужно.</p>",
                    ),
                ),
                (
                    "rich_text",
                    "<p><b>Согласие</b> взрослой жертвы на эксплуатацию не имеет "
                    "значения, если был использован любой из способов. Женщина, "
                    "согласившаяся работать в баре за границей, не соглашалась "
                    "на то, что у неё отберут паспорт и не будут платить.</p>"
                    "<p>Для торговли людьми не обязательно пересекать границу: "
                    "внутренняя торговля людьми, например из сельских районов в "
                    "столицу, в регионе встречается часто.</p>",
                ),
            ],
        },
    },
    "smuggling": {
        "mode": "manual",
        "minutes": 10,
        "en": {
            "title": "Trafficking and smuggling are not the same",
            "summary": "Why the difference decides how you treat the person.",
            "body": [
                (
                    "rich_text",
                    "<p>Migrant smuggling is a crime against the state: a person "
                    "pays to be helped across a border irregularly, and the "
                    "relationship usually ends on arrival. Trafficking is a crime "
                    "against the person: the relationship continues, because "
                    "profit comes from exploiting them.</p>",
                ),
                (
                    "accordion",
                    (
                        "Compare the two",
                        [
                            (
                                "Consent",
                                "<p>Smuggled migrants consent to being moved. "
                                "Victims of trafficking either never consented or "
                                "their consent was obtained by deception or "
                                "coercion.</p>",
                            ),
                            (
                                "Border",
                                "<p>Smuggling always involves an irregular border "
                                "crossing. Trafficking may happen inside one "
                                "country and may involve regular travel with valid "
                                "documents.</p>",
                            ),
                            (
                                "Exploitation",
                                "<p>Smuggling ends at the destination. Trafficking "
                                "aims at exploitation after arrival, often with "
                                "debts that can never be repaid.</p>",
                            ),
                        ],
                    ),
                ),
                (
                    "callout",
                    (
                        "warning",
                        "A smuggled person can become a victim",
                        "<p>Smuggling can turn into trafficking on the way: "
                        "smugglers hold people until relatives pay more, or sell "
                        "them on to exploiters. Treat every irregular migrant as a "
                        "possible victim until you have looked for the "
                        "indicators.</p>",
                    ),
                ),
            ],
        },
        "ru": {
            "title": "Торговля людьми и незаконный ввоз мигрантов — не одно и то же",
            "summary": "Почему от различия зависит, как вы обращаетесь с человеком.",
            "body": [
                (
                    "rich_text",
                    "<p>Незаконный ввоз мигрантов — преступление против "
                    "государства: человек платит за помощь в нерегулярном "
                    "пересечении границы, и отношения обычно заканчиваются по "
                    "прибытии. Торговля людьми — преступление против личности: "
                    "отношения продолжаются, потому что прибыль приносит "
                    "эксплуатация человека.</p>",
                ),
                (
                    "accordion",
                    (
                        "Сравните",
                        [
                            (
                                "Согласие",
                                "<p>Ввозимые мигранты согласны на перемещение. "
                                "Жертвы торговли людьми либо не давали согласия, "
                                "либо оно было получено обманом или "
                                "принуждением.</p>",
                            ),
                            (
                                "Граница",
                                "<p>Незаконный ввоз всегда связан с нерегулярным "
                                "пересечением границы. Торговля людьми может "
                                "происходить внутри одной страны и при законной "
                                "поездке с действительными документами.</p>",
                            ),
                            (
                                "Эксплуатация",
                                "<p>Незаконный ввоз заканчивается в пункте "
                                "назначения. Цель торговли людьми — эксплуатация "
                                "после прибытия, часто с помощью долгов, которые "
                                "невозможно вернуть.</p>",
                            ),
                        ],
                    ),
                ),
                (
                    "callout",
                    (
                        "warning",
                        "Ввозимый мигрант может стать жертвой",
                        "<p>Незаконный ввоз может по дороге превратиться в "
                        "торговлю людьми: перевозчики удерживают людей, пока "
                        "родственники не заплатят больше, или продают их "
                        "эксплуататорам. Считайте любого нерегулярного мигранта "
                        "возможной жертвой, пока не проверите признаки.</p>",
                    ),
                ),
            ],
        },
    },
    "forms": {
        "mode": "manual",
        "minutes": 15,
        "en": {
            "title": "Forms of exploitation in the region",
            "summary": "Labour, sexual exploitation, forced begging and "
            "forced criminality.",
            "body": [
                (
                    "rich_text",
                    "<p>Reports of national rapporteurs and of GRETA, the Council "
                    "of Europe's expert group, show that <b>labour exploitation</b> "
                    "has overtaken sexual exploitation in several countries of the "
                    "region. Construction, agriculture, textile workshops, "
                    "domestic work and seasonal tourism are the sectors most "
                    "often named.</p><h2>Other forms you may meet</h2><ul>"
                    "<li><b>Sexual exploitation</b>, increasingly arranged online "
                    "and in private apartments rather than clubs.</li>"
                    "<li><b>Forced begging</b>, often of children, people with "
                    "disabilities and older people.</li><li><b>Forced "
                    "criminality</b>: drug cultivation, pickpocketing, and online "
                    "fraud centres where recruits are held and forced to scam "
                    "others.</li><li><b>Forced marriage</b> and <b>servitude</b> "
                    "within families.</li></ul>",
                ),
                ("image", "IMG:sectors"),
                (
                    "rich_text",
                    "<p>Victims are men, women and children. Men are less often "
                    "identified because officials, and the men themselves, do not "
                    "see them as victims.</p>",
                ),
            ],
        },
        "ru": {
            "title": "Формы эксплуатации в регионе",
            "summary": "Трудовая и сексуальная эксплуатация, принуждение к "
            "попрошайничеству и к преступной деятельности.",
            "body": [
                (
                    "rich_text",
                    "<p>Доклады национальных докладчиков и ГРЕТА, группы экспертов "
                    "Совета Европы, показывают, что в ряде стран региона "
                    "<b>трудовая эксплуатация</b> вышла на первое место, опередив "
                    "сексуальную. Чаще всего называют строительство, сельское "
                    "хозяйство, швейные цеха, домашний труд и сезонный "
                    "туризм.</p><h2>Другие формы, с которыми вы можете "
                    "столкнуться</h2><ul><li><b>Сексуальная эксплуатация</b>, всё "
                    "чаще организуемая через интернет и в частных квартирах, а не "
                    "в клубах.</li><li><b>Принуждение к попрошайничеству</b>, "
                    "часто детей, людей с инвалидностью и пожилых.</li>"
                    "<li><b>Принуждение к преступной деятельности</b>: "
                    "выращивание наркотиков, карманные кражи и мошеннические "
                    "колл-центры, где завербованных удерживают и заставляют "
                    "обманывать других.</li><li><b>Принудительный брак</b> и "
                    "<b>подневольное состояние</b> в семьях.</li></ul>",
                ),
                ("image", "IMG:sectors"),
                (
                    "rich_text",
                    "<p>Жертвами становятся мужчины, женщины и дети. Мужчин "
                    "выявляют реже, потому что ни сотрудники, ни сами мужчины не "
                    "считают их жертвами.</p>",
                ),
            ],
        },
    },
    "indicators": {
        "mode": "manual",
        "minutes": 20,
        "en": {
            "title": "Indicators of trafficking",
            "summary": "Signs that should make you look closer.",
            "body": [
                (
                    "rich_text",
                    "<p>No single indicator proves trafficking, and a victim may "
                    "show none of them on the day you meet. Indicators are reasons "
                    "to look closer and to ask the right questions, never a "
                    "checklist to tick before you may act.</p>",
                ),
                (
                    "accordion",
                    (
                        "Indicators by kind",
                        [
                            (
                                "General indicators",
                                "<ul><li>Someone else holds the person's passport "
                                "or identity documents.</li><li>They do not know "
                                "their home or work address.</li><li>They owe a "
                                "debt for travel, housing or a job that keeps "
                                "growing.</li><li>They are never alone, or "
                                "someone else answers for them.</li><li>They "
                                "show fear, anxiety or signs of physical "
                                "abuse.</li></ul>",
                            ),
                            (
                                "Labour exploitation",
                                "<ul><li>They live where they work, in poor or "
                                "crowded conditions.</li><li>Wages are withheld, "
                                "paid to someone else, or far below what was "
                                "promised.</li><li>They work excessive hours "
                                "without days off and cannot leave.</li><li>They "
                                "lack protective equipment or a contract in a "
                                "language they understand.</li></ul>",
                            ),
                            (
                                "Sexual exploitation",
                                "<ul><li>They move often between cities or "
                                "apartments.</li><li>They have no control over "
                                "their earnings or clients.</li><li>They are "
                                "advertised online with prices, and someone else "
                                "controls their phone.</li></ul>",
                            ),
                        ],
                    ),
                ),
                ("image", "IMG:indicators"),
                ("document", "DOC:checklist"),
            ],
        },
        "ru": {
            "title": "Признаки торговли людьми",
            "summary": "Признаки, которые должны заставить вас присмотреться.",
            "body": [
                (
                    "rich_text",
                    "<p>Ни один признак сам по себе не доказывает торговлю "
                    "людьми, и в день встречи у жертвы их может не быть вовсе. "
                    "Признаки — это повод присмотреться и задать правильные "
                    "вопросы, а не список, который нужно заполнить, прежде чем "
                    "действовать.</p>",
                ),
                (
                    "accordion",
                    (
                        "Признаки по видам",
                        [
                            (
                                "Общие признаки",
                                "<ul><li>Паспорт или удостоверение личности "
                                "человека находится у кого-то другого.</li>"
                                "<li>Человек не знает адреса, где живёт или "
                                "работает.</li><li>У него растущий долг за "
                                "дорогу, жильё или работу.</li><li>Он никогда "
                                "не бывает один, или за него отвечает кто-то "
                                "другой.</li><li>Он проявляет страх, тревогу или "
                                "имеет следы насилия.</li></ul>",
                            ),
                            (
                                "Трудовая эксплуатация",
                                "<ul><li>Человек живёт там же, где работает, в "
                                "плохих или тесных условиях.</li><li>Зарплату "
                                "удерживают, выплачивают другому лицу или она "
                                "намного ниже обещанной.</li><li>Он работает "
                                "сверх меры без выходных и не может уйти.</li>"
                                "<li>У него нет средств защиты или договора на "
                                "понятном ему языке.</li></ul>",
                            ),
                            (
                                "Сексуальная эксплуатация",
                                "<ul><li>Человека часто перевозят между "
                                "городами или квартирами.</li><li>Он не "
                                "распоряжается заработком и не выбирает "
                                "клиентов.</li><li>Его рекламируют в интернете с "
                                "ценами, а его телефон контролирует кто-то "
                                "другой.</li></ul>",
                            ),
                        ],
                    ),
                ),
                ("image", "IMG:indicators"),
                ("document", "DOC:checklist"),
            ],
        },
    },
    "first-contact": {
        "mode": "manual",
        "minutes": 20,
        "en": {
            "title": "Talking to a possible victim: the first contact",
            "summary": "Safety, trust and an interpreter before questions.",
            "body": [
                (
                    "rich_text",
                    "<p>The first conversation decides whether a person will "
                    "accept help. Many victims have been told that police will "
                    "arrest or deport them, and some have debts or families at "
                    "home that traffickers threaten.</p><h2>Before you ask "
                    "anything</h2><ul><li>Separate the person from anyone who may "
                    "control them, without alarming that person.</li><li>Find a "
                    "quiet place and, where you can, an officer of the gender the "
                    "person prefers.</li><li>Use a professional interpreter, never "
                    "a companion, a fellow worker or a child.</li><li>Explain who "
                    "you are, why you are talking, and that help is "
                    "available.</li></ul><h2>During the conversation</h2><ul>"
                    "<li>Ask open questions: \u201cHow did you come to work "
                    "here?\u201d rather than \u201cWere you trafficked?\u201d</li>"
                    "<li>Do not ask for every detail: a full interview comes later, "
                    "with specialists.</li><li>Accept silence and inconsistency: "
                    "trauma affects memory.</li></ul>",
                ),
                (
                    "callout",
                    (
                        "warning",
                        "Do no harm",
                        "<p>Never confront a suspected trafficker in front of the "
                        "victim, and never promise what you cannot deliver, such "
                        "as a residence permit. Broken promises destroy trust in "
                        "every official who comes after you.</p>",
                    ),
                ),
            ],
        },
        "ru": {
            "title": "Разговор с возможной жертвой: первый контакт",
            "summary": "Безопасность, доверие и переводчик — до вопросов.",
            "body": [
                (
                    "rich_text",
                    "<p>Первый разговор решает, примет ли человек помощь. Многим "
                    "жертвам говорили, что полиция их арестует или вышлет, у "
                    "некоторых дома остались долги или семьи, которым угрожают "
                    "торговцы людьми.</p><h2>Прежде чем задавать вопросы</h2><ul>"
                    "<li>Отделите человека от тех, кто может его контролировать, "
                    "не встревожив их.</li><li>Найдите тихое место и, если "
                    "возможно, сотрудника того пола, который предпочитает "
                    "человек.</li><li>Работайте с профессиональным переводчиком, "
                    "а не со спутником, коллегой по работе или ребёнком.</li>"
                    "<li>Объясните, кто вы, зачем разговариваете и что помощь "
                    "доступна.</li></ul><h2>Во время разговора</h2><ul><li>"
                    "Задавайте открытые вопросы: «Как вы оказались на этой "
                    "работе?», а не «Вы жертва торговли людьми?»</li><li>Не "
                    "выясняйте все подробности: полное интервью проведут позже "
                    "специалисты.</li><li>Принимайте молчание и противоречия: "
                    "травма влияет на память.</li></ul>",
                ),
                (
                    "callout",
                    (
                        "warning",
                        "Не навредите",
                        "<p>Никогда не противостойте предполагаемому торговцу "
                        "людьми на глазах у жертвы и не обещайте того, что не "
                        "можете выполнить, например вид на жительство. "
                        "Невыполненные обещания подрывают доверие ко всем "
                        "сотрудникам, которые придут после вас.</p>",
                    ),
                ),
            ],
        },
    },
    "case-construction": {
        "mode": "manual",
        "minutes": 15,
        "en": {
            "title": "Case study: the construction site",
            "summary": "Apply the indicators to a realistic situation.",
            "body": [
                (
                    "callout",
                    (
                        "case_study",
                        "Twelve workers in a container",
                        "<p>During a routine labour inspection of a construction "
                        "site on the outskirts of the capital, an inspector finds "
                        "twelve men from a neighbouring country living in two "
                        "shipping containers behind the site. The site manager "
                        "says they are \u201cvolunteers helping a relative\u201d. "
                        "None of the men has his passport: the manager says he "
                        "keeps them \u201cso they don't get lost\u201d. One worker "
                        "says quietly, in Russian, that they were promised 800 "
                        "euros a month but have been paid nothing for three "
                        "months, because they still owe for the bus and the "
                        "visa.</p>",
                    ),
                ),
                (
                    "rich_text",
                    "<h2>Questions to think about</h2><ol><li>Which indicators do "
                    "you see? (Documents held by the employer, debt bondage, "
                    "housing at the workplace, unpaid wages, deception about "
                    "conditions.)</li><li>Are the three elements present? "
                    "Recruitment and transport (act), deception and debt bondage "
                    "(means), forced labour (purpose).</li><li>What should the "
                    "inspector do next? Not confront the manager alone, record "
                    "what was seen, contact the police unit and the referral "
                    "coordinator, and arrange an interpreter to talk to the "
                    "workers separately.</li></ol>",
                ),
            ],
        },
        "ru": {
            "title": "Разбор случая: стройка",
            "summary": "Примените признаки к реалистичной ситуации.",
            "body": [
                (
                    "callout",
                    (
                        "case_study",
                        "Двенадцать рабочих в контейнере",
                        "<p>Во время плановой проверки стройки на окраине столицы "
                        "инспектор труда находит двенадцать мужчин из соседней "
                        "страны, которые живут в двух морских контейнерах за "
                        "площадкой. Начальник участка говорит, что это "
                        "«добровольцы, которые помогают родственнику». Ни у кого "
                        "из мужчин нет паспорта: начальник говорит, что хранит "
                        "их, «чтобы не потерялись». Один рабочий тихо говорит "
                        "по-русски, что им обещали 800 евро в месяц, но три "
                        "месяца ничего не платили, потому что они ещё должны за "
                        "автобус и визу.</p>",
                    ),
                ),
                (
                    "rich_text",
                    "<h2>Вопросы для размышления</h2><ol><li>Какие признаки вы "
                    "видите? (Документы у работодателя, долговая кабала, жильё на "
                    "рабочем месте, невыплаченная зарплата, обман об "
                    "условиях.)</li><li>Присутствуют ли три элемента? Вербовка и "
                    "перевозка (действие), обман и долговая кабала (способ), "
                    "принудительный труд (цель).</li><li>Что инспектору делать "
                    "дальше? Не вступать в спор с начальником в одиночку, "
                    "записать увиденное, связаться с подразделением полиции и "
                    "координатором перенаправления и организовать переводчика, "
                    "чтобы поговорить с рабочими по отдельности.</li></ol>",
                ),
            ],
        },
    },
    "nrm": {
        "mode": "manual",
        "minutes": 20,
        "en": {
            "title": "National referral mechanisms",
            "summary": "Who does what once a presumed victim is identified.",
            "body": [
                (
                    "rich_text",
                    "<p>A national referral mechanism (NRM) is the framework "
                    "through which state bodies and civil society identify "
                    "victims and refer them to protection and assistance. Most "
                    "countries of the region have one, set out in law or in "
                    "standard operating procedures, with a national coordinator "
                    "or an office for the identification of victims.</p>",
                ),
                ("image", "IMG:referral"),
                (
                    "rich_text",
                    "<h2>The usual steps</h2><ol><li><b>Detection</b> by any "
                    "front-line official, NGO or hotline.</li><li><b>Referral</b> "
                    "to the identification body, with the person's informed "
                    "consent wherever possible.</li><li><b>Formal "
                    "identification</b> by the competent authority.</li>"
                    "<li><b>Assistance</b>: safe accommodation, medical and "
                    "psychological care, legal aid, interpretation.</li>"
                    "<li><b>Return, integration or residence</b>, with risk "
                    "assessment, and follow-up.</li></ol><p>Assistance must not "
                    "depend on the victim's willingness to testify. The person "
                    "is a <b>presumed victim</b> and entitled to assistance from "
                    "the moment there are reasonable grounds to believe they "
                    "were trafficked.</p>",
                ),
            ],
        },
        "ru": {
            "title": "Национальные механизмы перенаправления",
            "summary": "Кто что делает после выявления предполагаемой жертвы.",
            "body": [
                (
                    "rich_text",
                    "<p>Национальный механизм перенаправления (НМП) — это "
                    "система, в рамках которой государственные органы и "
                    "гражданское общество выявляют жертв и направляют их за "
                    "защитой и помощью. В большинстве стран региона он "
                    "закреплён в законе или в стандартных операционных "
                    "процедурах, и есть национальный координатор или служба по "
                    "идентификации жертв.</p>",
                ),
                ("image", "IMG:referral"),
                (
                    "rich_text",
                    "<h2>Обычные шаги</h2><ol><li><b>Выявление</b> любым "
                    "сотрудником первой линии, НКО или горячей линией.</li>"
                    "<li><b>Перенаправление</b> в орган идентификации, по "
                    "возможности с информированного согласия человека.</li>"
                    "<li><b>Официальная идентификация</b> компетентным "
                    "органом.</li><li><b>Помощь</b>: безопасное жильё, "
                    "медицинская и психологическая помощь, юридическая помощь, "
                    "перевод.</li><li><b>Возвращение, интеграция или "
                    "проживание</b> с оценкой рисков и последующим "
                    "сопровождением.</li></ol><p>Помощь не должна зависеть от "
                    "готовности жертвы давать показания. Человек считается "
                    "<b>предполагаемой жертвой</b> и имеет право на помощь с "
                    "момента, когда есть разумные основания полагать, что он "
                    "стал жертвой торговли людьми.</p>",
                ),
            ],
        },
    },
    "children": {
        "mode": "manual",
        "minutes": 20,
        "en": {
            "title": "Unaccompanied and separated children",
            "summary": "The best interests of the child come first.",
            "body": [
                (
                    "rich_text",
                    "<p>An <b>unaccompanied child</b> travels without any adult "
                    "responsible for them; a <b>separated child</b> is with an "
                    "adult who is not their parent or usual caregiver. Both are "
                    "at high risk of trafficking, and the adult with a separated "
                    "child may be the exploiter.</p><h2>What you must do</h2><ul>"
                    "<li><b>Presume the person is a child</b> when the age is "
                    "uncertain and there are reasons to believe they are under "
                    "18. Age assessment, where needed, must be multidisciplinary "
                    "and respect dignity, never relying on X-rays alone.</li>"
                    "<li>Inform the guardianship authority at once so that a "
                    "<b>guardian</b> is appointed without delay.</li><li>Place the "
                    "child in safe, child-appropriate accommodation, never in "
                    "detention.</li><li>Make every decision, including return, on "
                    "the basis of a <b>best interests</b> assessment.</li></ul>",
                ),
                (
                    "callout",
                    (
                        "note",
                        "Listen to the child",
                        "<p>Children have the right to be heard in decisions "
                        "that affect them, in a language they understand and "
                        "with explanations suited to their age.</p>",
                    ),
                ),
            ],
        },
        "ru": {
            "title": "Несопровождаемые и разлучённые с семьёй дети",
            "summary": "Наилучшие интересы ребёнка — прежде всего.",
            "body": [
                (
                    "rich_text",
                    "<p><b>Несопровождаемый ребёнок</b> путешествует без "
                    "взрослого, ответственного за него; <b>разлучённый "
                    "ребёнок</b> находится со взрослым, который не является его "
                    "родителем или постоянным опекуном. Оба подвергаются "
                    "высокому риску торговли людьми, а взрослый рядом с "
                    "разлучённым ребёнком может оказаться эксплуататором.</p>"
                    "<h2>Что вы обязаны сделать</h2><ul><li><b>Считайте "
                    "человека ребёнком</b>, если возраст не установлен и есть "
                    "основания полагать, что ему нет 18 лет. Оценка возраста, "
                    "если она нужна, должна быть междисциплинарной и уважать "
                    "достоинство, а не опираться только на рентген.</li><li>"
                    "Немедленно сообщите в орган опеки, чтобы без промедления "
                    "был назначен <b>опекун</b>.</li><li>Разместите ребёнка в "
                    "безопасном учреждении, подходящем для детей, и никогда — "
                    "под стражей.</li><li>Принимайте каждое решение, включая "
                    "возвращение, на основе оценки <b>наилучших интересов</b> "
                    "ребёнка.</li></ul>",
                ),
                (
                    "callout",
                    (
                        "note",
                        "Выслушайте ребёнка",
                        "<p>Дети имеют право быть услышанными при принятии "
                        "касающихся их решений, на понятном им языке и с "
                        "объяснениями, соответствующими их возрасту.</p>",
                    ),
                ),
            ],
        },
    },
    "rights": {
        "mode": "manual",
        "minutes": 15,
        "en": {
            "title": "The rights of victims",
            "summary": "Recovery, residence, non-punishment and compensation.",
            "body": [
                (
                    "rich_text",
                    "<p>The Council of Europe Convention on Action against "
                    "Trafficking in Human Beings gives presumed and identified "
                    "victims rights that every official should know:</p><ul>"
                    "<li>A <b>recovery and reflection period</b> of at least 30 "
                    "days, during which the person cannot be removed and can "
                    "decide whether to cooperate with the authorities.</li><li>A "
                    "<b>renewable residence permit</b> when their stay is "
                    "necessary because of their personal situation or for "
                    "criminal proceedings.</li><li><b>Non-punishment</b> for "
                    "offences they were compelled to commit, such as irregular "
                    "entry, using false documents or forced criminality.</li>"
                    "<li><b>Compensation</b> from the perpetrators and legal "
                    "assistance to claim it.</li><li>Protection of their "
                    "<b>private life and identity</b>.</li></ul>",
                ),
                (
                    "callout",
                    (
                        "case_study",
                        "Back to the construction site",
                        "<p>Two of the twelve workers had used forged work "
                        "permits provided by the recruiter. Under the "
                        "non-punishment principle they should not be prosecuted "
                        "for this: they were compelled to use them as part of "
                        "their exploitation.</p>",
                    ),
                ),
            ],
        },
        "ru": {
            "title": "Права жертв",
            "summary": "Восстановление, проживание, освобождение от наказания и "
            "компенсация.",
            "body": [
                (
                    "rich_text",
                    "<p>Конвенция Совета Европы о противодействии торговле людьми "
                    "даёт предполагаемым и установленным жертвам права, которые "
                    "должен знать каждый сотрудник:</p><ul><li><b>Период "
                    "восстановления и размышления</b> не менее 30 дней, в течение "
                    "которого человека нельзя выслать и он может решить, "
                    "сотрудничать ли с властями.</li><li><b>Возобновляемый вид на "
                    "жительство</b>, если пребывание необходимо из-за личной "
                    "ситуации или для уголовного процесса.</li><li><b>Освобождение "
                    "от наказания</b> за правонарушения, к которым человека "
                    "принудили, например нерегулярный въезд, использование "
                    "поддельных документов или принудительную преступную "
                    "деятельность.</li><li><b>Компенсация</b> от преступников и "
                    "юридическая помощь для её получения.</li><li>Защита "
                    "<b>частной жизни и личных данных</b>.</li></ul>",
                ),
                (
                    "callout",
                    (
                        "case_study",
                        "Снова на стройке",
                        "<p>Двое из двенадцати рабочих пользовались поддельными "
                        "разрешениями на работу, которые дал вербовщик. По "
                        "принципу освобождения от наказания их не следует за это "
                        "преследовать: их принудили к этому в ходе "
                        "эксплуатации.</p>",
                    ),
                ),
            ],
        },
    },
}

IMAGES = {
    "cover": {
        "en": "Two officials talking with a worker at a border crossing",
        "ru": "Двое сотрудников разговаривают с рабочим на пограничном пункте",
    },
    "elements": {
        "en": "Three linked circles: the act, the means and the purpose",
        "ru": "Три связанных круга: действие, способ и цель",
        "caption_en": "All three elements must be present for an adult victim.",
        "caption_ru": "Для взрослой жертвы должны присутствовать все три элемента.",
    },
    "sectors": {
        "en": "Bar chart of identified victims by form of exploitation",
        "ru": "Диаграмма выявленных жертв по формам эксплуатации",
        "caption_en": "Illustration: labour exploitation now leads in several "
        "countries of the region.",
        "caption_ru": "Иллюстрация: в ряде стран региона трудовая эксплуатация "
        "вышла на первое место.",
    },
    "indicators": {
        "en": "A grid of warning signs: documents, debt, housing, control",
        "ru": "Сетка предупреждающих знаков: документы, долг, жильё, контроль",
        "caption_en": "Indicators are reasons to look closer, not proof.",
        "caption_ru": "Признаки — повод присмотреться, а не доказательство.",
    },
    "referral": {
        "en": "Five steps of a referral pathway connected by arrows",
        "ru": "Пять шагов перенаправления, соединённых стрелками",
        "caption_en": "Detection, referral, identification, assistance, "
        "return or integration.",
        "caption_ru": "Выявление, перенаправление, идентификация, помощь, "
        "возвращение или интеграция.",
    },
}

CHECKLIST = {
    "title_en": "Pocket checklist of trafficking indicators",
    "title_ru": "Памятка: признаки торговли людьми",
    "description_en": "A one-page list to keep with you during inspections.",
    "description_ru": "Одна страница, которую удобно держать при себе во время "
    "проверок.",
    "text": (
        "POCKET CHECKLIST OF TRAFFICKING INDICATORS\n\n"
        "- Someone else holds the person's documents\n"
        "- Growing debt for travel, housing or the job\n"
        "- Lives at the workplace; cannot leave freely\n"
        "- Wages withheld or paid to someone else\n"
        "- Never alone; someone answers for them\n"
        "- Fear, anxiety, injuries\n\n"
        "PAMYATKA / ПАМЯТКА\n\n"
        "- Документы у другого лица\n"
        "- Растущий долг за дорогу, жильё или работу\n"
        "- Живёт на рабочем месте, не может свободно уйти\n"
        "- Зарплату удерживают или платят другому\n"
        "- Никогда не бывает один, за него отвечают другие\n"
        "- Страх, тревога, травмы\n"
    ),
}
