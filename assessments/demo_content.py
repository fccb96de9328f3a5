"""Questions for the demo course "Identifying and referring victims of
trafficking", in English and Russian. Each question: key, kind, objective,
tags, the fields of the kind, and the text per language."""

OBJECTIVES = [
    (
        "definition",
        "Know the elements of the definition of trafficking",
        "Знать элементы определения торговли людьми",
    ),
    (
        "indicators",
        "Recognise indicators of trafficking",
        "Распознавать признаки торговли людьми",
    ),
    (
        "referral",
        "Refer presumed victims through the national referral mechanism",
        "Перенаправлять предполагаемых жертв через национальный механизм",
    ),
    (
        "rights",
        "Know the rights of presumed victims",
        "Знать права предполагаемых жертв",
    ),
]

BANKS = {
    "en": "Identifying and referring victims (English)",
    "ru": "Выявление и перенаправление жертв (русский)",
}

QUESTIONS = [
    {
        "key": "elements",
        "kind": "single",
        "objective": "definition",
        "en": {
            "title": "The three elements of trafficking in adults",
            "text": "Under the Palermo Protocol, which three elements together "
            "make up trafficking in adults?",
            "choices": [
                ("Act, means and purpose of exploitation", True, "Correct."),
                (
                    "Crossing a border, false documents and payment",
                    False,
                    "Trafficking can happen without any of these.",
                ),
                (
                    "Recruitment, transport and the person's consent",
                    False,
                    "Consent is not an element; it is irrelevant once a means "
                    "was used.",
                ),
            ],
            "feedback": "Act (recruitment, transport, transfer, harbouring or "
            "receipt), means (threat, force, deception, abuse of vulnerability, "
            "...) and purpose (exploitation).",
        },
        "ru": {
            "title": "Три элемента торговли взрослыми людьми",
            "text": "Какие три элемента вместе составляют торговлю взрослыми "
            "людьми согласно Палермскому протоколу?",
            "choices": [
                ("Действие, средство и цель эксплуатации", True, "Верно."),
                (
                    "Пересечение границы, поддельные документы и оплата",
                    False,
                    "Торговля людьми возможна и без всего этого.",
                ),
                (
                    "Вербовка, перевозка и согласие человека",
                    False,
                    "Согласие не является элементом; оно не имеет значения, "
                    "если было применено какое-либо средство.",
                ),
            ],
            "feedback": "Действие (вербовка, перевозка, передача, укрывательство "
            "или получение), средство (угроза, сила, обман, злоупотребление "
            "уязвимостью...) и цель (эксплуатация).",
        },
    },
    {
        "key": "consent",
        "kind": "truefalse",
        "objective": "definition",
        "answer": False,
        "en": {
            "title": "Consent of an adult",
            "text": "If an adult agreed to the work, it cannot be trafficking.",
            "true": "Consent is irrelevant once any of the means (threat, "
            "deception, abuse of vulnerability, ...) was used.",
            "false": "Right: consent is irrelevant once any of the means was used.",
        },
        "ru": {
            "title": "Согласие взрослого",
            "text": "Если взрослый человек согласился на работу, это не может "
            "быть торговлей людьми.",
            "true": "Согласие не имеет значения, если было применено любое из "
            "средств (угроза, обман, злоупотребление уязвимостью...).",
            "false": "Верно: согласие не имеет значения, если было применено "
            "какое-либо средство.",
        },
    },
    {
        "key": "children",
        "kind": "truefalse",
        "objective": "definition",
        "answer": True,
        "en": {
            "title": "Children and the means element",
            "text": "For a child, recruitment for the purpose of exploitation is "
            "trafficking even when no threat, force or deception was used.",
            "true": "Right: for children the means element is not needed.",
            "false": "For children the means element is not needed.",
        },
        "ru": {
            "title": "Дети и элемент средства",
            "text": "Вербовка ребёнка с целью эксплуатации является торговлей "
            "людьми, даже если не применялись угрозы, сила или обман.",
            "true": "Верно: для детей элемент средства не требуется.",
            "false": "Для детей элемент средства не требуется.",
        },
    },
    {
        "key": "indicators",
        "kind": "multiple",
        "objective": "indicators",
        "scoring": "partial",
        "penalty": True,
        "en": {
            "title": "Indicators of possible trafficking",
            "text": "Which of these are indicators of possible trafficking? "
            "Select all that apply.",
            "choices": [
                ("The employer keeps the person's passport", True, ""),
                (
                    "The person owes the recruiter a debt that keeps growing",
                    True,
                    "",
                ),
                (
                    "The person cannot move freely or is always accompanied",
                    True,
                    "",
                ),
                (
                    "The person has a signed employment contract",
                    False,
                    "A contract alone says little either way.",
                ),
                ("The person sends money home every month", False, ""),
            ],
            "feedback": "One indicator is not proof, but it is a reason to ask "
            "more and to refer.",
        },
        "ru": {
            "title": "Признаки возможной торговли людьми",
            "text": "Какие из этих обстоятельств являются признаками возможной "
            "торговли людьми? Отметьте все подходящие.",
            "choices": [
                ("Работодатель хранит у себя паспорт человека", True, ""),
                ("Человек должен вербовщику, и долг постоянно растёт", True, ""),
                (
                    "Человек не может свободно передвигаться или всегда под присмотром",
                    True,
                    "",
                ),
                (
                    "У человека есть подписанный трудовой договор",
                    False,
                    "Сам по себе договор мало о чём говорит.",
                ),
                ("Человек каждый месяц отправляет деньги домой", False, ""),
            ],
            "feedback": "Один признак — не доказательство, но повод расспросить "
            "подробнее и перенаправить.",
        },
    },
    {
        "key": "debt",
        "kind": "single",
        "objective": "indicators",
        "en": {
            "title": "Documents kept until a fee is paid",
            "text": "A worker says the employer 'keeps her documents safe' and "
            "she may not leave until the recruitment fee is paid off. What is "
            "this?",
            "choices": [
                ("Debt bondage, an indicator of trafficking", True, ""),
                ("Irregular migration", False, ""),
                ("Smuggling of migrants", False, ""),
            ],
            "feedback": "",
        },
        "ru": {
            "title": "Документы удерживают до выплаты долга",
            "text": "Работница рассказывает, что работодатель «хранит её "
            "документы», а уйти она может только после выплаты платы за "
            "трудоустройство. Что это?",
            "choices": [
                ("Долговая кабала — признак торговли людьми", True, ""),
                ("Нерегулярная миграция", False, ""),
                ("Незаконный ввоз мигрантов", False, ""),
            ],
            "feedback": "",
        },
    },
    {
        "key": "border",
        "kind": "truefalse",
        "objective": "indicators",
        "answer": False,
        "en": {
            "title": "Crossing a border",
            "text": "Trafficking always involves crossing an international border.",
            "true": "Trafficking can happen within one country.",
            "false": "Right: trafficking can happen within one country.",
        },
        "ru": {
            "title": "Пересечение границы",
            "text": "Торговля людьми всегда связана с пересечением "
            "государственной границы.",
            "true": "Торговля людьми возможна и внутри одной страны.",
            "false": "Верно: торговля людьми возможна и внутри одной страны.",
        },
    },
    {
        "key": "first-step",
        "kind": "single",
        "objective": "referral",
        "en": {
            "title": "First step with a presumed victim",
            "text": "During a border check you identify a presumed victim. What "
            "do you do first?",
            "choices": [
                ("Ensure the person's immediate safety and basic needs", True, ""),
                (
                    "Take a full statement for the criminal case",
                    False,
                    "Not before the person is safe and has had time to recover.",
                ),
                ("Return the person to the country of origin", False, ""),
            ],
            "feedback": "Safety first; then referral to specialised assistance.",
        },
        "ru": {
            "title": "Первый шаг с предполагаемой жертвой",
            "text": "Во время пограничного контроля вы выявили предполагаемую "
            "жертву. Что вы делаете в первую очередь?",
            "choices": [
                (
                    "Обеспечиваю безопасность человека и его базовые потребности",
                    True,
                    "",
                ),
                (
                    "Беру подробные показания для уголовного дела",
                    False,
                    "Не раньше, чем человек окажется в безопасности и "
                    "получит время на восстановление.",
                ),
                ("Возвращаю человека в страну происхождения", False, ""),
            ],
            "feedback": "Сначала безопасность, затем перенаправление к "
            "специализированной помощи.",
        },
    },
    {
        "key": "nrm",
        "kind": "short",
        "objective": "referral",
        "en": {
            "title": "The referral system",
            "text": "Name the national system through which state bodies and "
            "NGOs identify, protect and assist victims of trafficking.",
            "accepted": [
                ("National Referral Mechanism", 100),
                ("NRM", 100),
                ("Referral Mechanism", 50),
            ],
            "feedback": "The National Referral Mechanism (NRM).",
        },
        "ru": {
            "title": "Система перенаправления",
            "text": "Как называется национальная система, через которую "
            "государственные органы и НКО выявляют жертв торговли людьми, "
            "защищают их и помогают им?",
            "accepted": [
                ("Национальный механизм перенаправления", 100),
                ("НМП", 100),
                ("Механизм перенаправления", 50),
            ],
            "feedback": "Национальный механизм перенаправления (НМП).",
        },
    },
    {
        "key": "reflection",
        "kind": "numeric",
        "objective": "rights",
        "numeric": [(30, 0, 100)],
        "en": {
            "title": "Recovery and reflection period",
            "text": "At least how many days is the recovery and reflection "
            "period for presumed victims under the Council of Europe "
            "Convention (Article 13)?",
            "feedback": "At least 30 days.",
        },
        "ru": {
            "title": "Период восстановления и размышления",
            "text": "Сколько дней как минимум длится период восстановления и "
            "размышления для предполагаемых жертв по Конвенции Совета Европы "
            "(статья 13)?",
            "feedback": "Не менее 30 дней.",
        },
    },
    {
        "key": "roles",
        "kind": "matching",
        "objective": "referral",
        "en": {
            "title": "Who does what in referral",
            "text": "Match each actor with its main role.",
            "pairs": [
                ("Police and border guards", "Identify and refer presumed victims"),
                ("Shelter or NGO service provider", "Accommodation and assistance"),
                ("Prosecutor", "Criminal proceedings against traffickers"),
                ("", "Issuing tourist visas"),
            ],
            "feedback": "",
        },
        "ru": {
            "title": "Кто за что отвечает при перенаправлении",
            "text": "Сопоставьте каждого участника с его основной ролью.",
            "pairs": [
                (
                    "Полиция и пограничники",
                    "Выявление и перенаправление предполагаемых жертв",
                ),
                ("Приют или НКО", "Размещение и помощь"),
                ("Прокурор", "Уголовное преследование торговцев людьми"),
                ("", "Выдача туристических виз"),
            ],
            "feedback": "",
        },
    },
    {
        "key": "non-punishment",
        "kind": "single",
        "objective": "rights",
        "en": {
            "title": "Offences the victim was forced to commit",
            "text": "Can a presumed victim be punished for offences they were "
            "compelled to commit, such as using a false passport?",
            "choices": [
                ("No: the non-punishment principle protects them", True, ""),
                ("Yes, like anyone else", False, ""),
                ("Only if they are foreign citizens", False, ""),
            ],
            "feedback": "Council of Europe Convention, Article 26.",
        },
        "ru": {
            "title": "Правонарушения, к которым жертву принудили",
            "text": "Можно ли наказать предполагаемую жертву за правонарушения, "
            "к которым её принудили, например за использование поддельного "
            "паспорта?",
            "choices": [
                ("Нет: её защищает принцип ненаказания", True, ""),
                ("Да, как любого другого человека", False, ""),
                ("Только если это иностранный гражданин", False, ""),
            ],
            "feedback": "Конвенция Совета Европы, статья 26.",
        },
    },
    {
        "key": "assistance",
        "kind": "multiple",
        "objective": "rights",
        "scoring": "all",
        "en": {
            "title": "Assistance presumed victims are entitled to",
            "text": "Which of these must be available to presumed victims under "
            "the Council of Europe Convention (Article 12)?",
            "choices": [
                ("Safe accommodation", True, ""),
                ("Emergency medical treatment", True, ""),
                ("Translation and interpretation", True, ""),
                ("Automatic citizenship", False, ""),
            ],
            "feedback": "",
        },
        "ru": {
            "title": "Помощь, на которую имеют право предполагаемые жертвы",
            "text": "Что из этого должно быть доступно предполагаемым жертвам "
            "по Конвенции Совета Европы (статья 12)?",
            "choices": [
                ("Безопасное жильё", True, ""),
                ("Экстренная медицинская помощь", True, ""),
                ("Письменный и устный перевод", True, ""),
                ("Автоматическое получение гражданства", False, ""),
            ],
            "feedback": "",
        },
    },
]

# Which questions each assessment uses (by key); the final exam also draws
# random questions from the bank.
PRETEST = ["elements", "consent", "indicators", "first-step", "nrm", "reflection"]
QUIZ_1 = ["elements", "consent", "children", "border"]
QUIZ_2 = ["indicators", "debt", "first-step", "roles"]
FINAL_FIXED = ["nrm", "non-punishment", "assistance"]
FINAL_RANDOM = 5

ASSESSMENTS = [
    # slug, module index, kind, position, questions, settings, titles
    {
        "slug": "pre-test",
        "module": 0,
        "first": True,
        "kind": "pretest",
        "questions": PRETEST,
        "settings": {"max_attempts": 1, "review_answers": "never"},
        "en": "Pre-test: what do you know already?",
        "ru": "Входной тест: что вы уже знаете?",
        "intro_en": "<p>Six questions, about ten minutes. The result does not "
        "count for passing: it shows what you knew before the course, so that "
        "you can see what you learned.</p>",
        "intro_ru": "<p>Шесть вопросов, около десяти минут. Результат не "
        "влияет на сдачу курса: он показывает, что вы знали до начала, чтобы "
        "потом было видно, чему вы научились.</p>",
    },
    {
        "slug": "module-1-quiz",
        "module": 0,
        "kind": "quiz",
        "questions": QUIZ_1,
        "settings": {
            "max_attempts": 0,
            "pass_mark": 75,
            "review_answers": "attempt",
            "required_for_completion": False,
        },
        "en": "Quiz: understanding trafficking",
        "ru": "Тест: что такое торговля людьми",
        "intro_en": "<p>Check your understanding. Take it as often as you like.</p>",
        "intro_ru": "<p>Проверьте себя. Можно проходить сколько угодно раз.</p>",
    },
    {
        "slug": "module-2-quiz",
        "module": 1,
        "kind": "quiz",
        "questions": QUIZ_2,
        "settings": {
            "max_attempts": 0,
            "pass_mark": 75,
            "review_answers": "attempt",
            "required_for_completion": False,
        },
        "en": "Quiz: identifying presumed victims",
        "ru": "Тест: выявление предполагаемых жертв",
        "intro_en": "<p>Check your understanding. Take it as often as you like.</p>",
        "intro_ru": "<p>Проверьте себя. Можно проходить сколько угодно раз.</p>",
    },
    {
        "slug": "post-test",
        "module": 2,
        "kind": "posttest",
        "questions": PRETEST,
        "settings": {
            "max_attempts": 1,
            "review_answers": "attempt",
            "required_for_completion": False,
        },
        "en": "Post-test: what have you learned?",
        "ru": "Итоговый тест знаний: чему вы научились?",
        "intro_en": "<p>The same questions as the pre-test. Compare your results.</p>",
        "intro_ru": "<p>Те же вопросы, что и во входном тесте. Сравните "
        "результаты.</p>",
    },
    {
        "slug": "final-exam",
        "module": 2,
        "kind": "final",
        "questions": FINAL_FIXED,
        "random": FINAL_RANDOM,
        "settings": {
            "max_attempts": 2,
            "pass_mark": 70,
            "time_limit_minutes": 20,
            "shuffle_questions": True,
            "review_answers": "last",
        },
        "en": "Final exam",
        "ru": "Итоговый экзамен",
        "intro_en": "<p>Eight questions, 20 minutes, two attempts. You need 70% "
        "to pass and receive the certificate.</p>",
        "intro_ru": "<p>Восемь вопросов, 20 минут, две попытки. Для сдачи и "
        "получения сертификата нужно 70%.</p>",
    },
]

# A small cohort so that knowledge gain has figures: (e-mail, name, country,
# right answers in the pre-test, right answers in the post-test).
COHORT = [
    ("irina.demo@demo.test", "Irina Ceban", "MD", 2, 5),
    ("arben.demo@demo.test", "Arben Krasniqi", "AL", 3, 6),
    ("milica.demo@demo.test", "Milica Jovanović", "RS", 1, 4),
    ("aigul.demo@demo.test", "Айгуль Сапарова", "KZ", 4, 6),
]
