"""Phrase banks for synthetic interviews and comments (Finnish and English).

Every sentence here was written to carry exactly one code with one valence, so
``cxresearch synth`` can record in ``truth.json`` which codes each turn carries.
Several phrasings per code, valence and language keep transcripts from reading
as one template repeated. No person's name appears anywhere.
"""

from __future__ import annotations

# (code, valence) -> {lang: [sentences]}
CODE_SENTENCES: dict[tuple[str, str], dict[str, list[str]]] = {
    ("staffing", "negative"): {
        "fi": [
            "Meitä on vuorossa aivan liian vähän, eikä kukaan ehdi palvella kunnolla.",
            "Myymälässä oli vain yksi myyjä paikalla, vaikka asiakkaita oli paljon.",
            "Henkilökuntaa ei ole tarpeeksi ruuhka-aikoina.",
            "Kiireisinä päivinä ei ehdi edes vastata asiakkaiden kysymyksiin, kun väkeä on niin vähän.",
        ],
        "en": [
            "There were never enough people on the floor when it got busy.",
            "Only one person was working the whole shop, so everyone had to wait.",
            "We are badly understaffed at weekends and customers notice it.",
            "Honestly, the team is stretched so thin that nobody has time for a proper chat with a customer.",
        ],
    },
    ("staffing", "positive"): {
        "fi": [
            "Vuorossa on yleensä tarpeeksi väkeä, joten asiakkaille ehtii antaa aikaa.",
            "Paikalla oli monta myyjää, eikä jonoa syntynyt.",
            "Henkilökuntaa on riittävästi, ja se näkyy palvelussa.",
        ],
        "en": [
            "There is usually enough staff on shift, so we can take our time with people.",
            "Plenty of staff were around and I never had to wait.",
            "The shop felt well staffed, someone was always free to help.",
        ],
    },
    ("passion", "positive"): {
        "fi": [
            "Myyjä oli selvästi innostunut työstään ja se tarttui minuunkin.",
            "Minusta on ihanaa palvella asiakkaita, se on tämän työn paras puoli.",
            "Näki, että hän nauttii myymisestä ja asiakkaiden kohtaamisesta.",
        ],
        "en": [
            "You could tell she genuinely loves her job, and that enthusiasm rubbed off on me.",
            "I really enjoy serving people, it is the best part of the work.",
            "He was so enthusiastic about helping that it made the whole visit fun.",
        ],
    },
    ("passion", "negative"): {
        "fi": [
            "Myyjä vaikutti täysin välinpitämättömältä, ihan kuin olisin häirinnyt.",
            "Into on kadonnut, teen vain vuoroni ja lähden kotiin.",
            "Palvelija ei näyttänyt yhtään kiinnostuneelta koko asiasta.",
        ],
        "en": [
            "The assistant seemed completely indifferent, as if I was bothering him.",
            "To be honest I have lost my enthusiasm, I just do my shift and go home.",
            "Nobody there showed the slightest interest in the job.",
        ],
    },
    ("product_belief", "positive"): {
        "fi": [
            "Uskon oikeasti tuotteisiimme, joten niitä on helppo suositella.",
            "Myyjä kertoi käyttävänsä itsekin samaa tuotetta ja luotti siihen.",
            "Meidän valikoima on hyvä, sen takana voi seistä.",
        ],
        "en": [
            "I truly believe in what we sell, so recommending it is easy.",
            "The clerk said she uses the same product at home and trusts it.",
            "Our range is good quality and I am proud to stand behind it.",
        ],
    },
    ("product_belief", "negative"): {
        "fi": [
            "En oikein itsekään usko kaikkiin tuotteisiin, joita meidän pitää myydä.",
            "Myyjäkin myönsi, ettei tuote ole hintansa arvoinen.",
            "On vaikea suositella tuotteita, joiden laatuun ei luota.",
        ],
        "en": [
            "Frankly I do not believe in half of the products we are told to push.",
            "Even the salesperson admitted the product was not worth it.",
            "It is hard to recommend things when you do not trust their quality.",
        ],
    },
    ("core_skills", "positive"): {
        "fi": [
            "Myyjä tunsi tuotteet läpikotaisin ja osasi vastata kaikkeen.",
            "Myyjä hoiti kaiken sujuvasti ja ammattitaitoisesti.",
            "Perehdytys oli hyvä, joten osaan hoitaa tavalliset asiat nopeasti.",
        ],
        "en": [
            "The assistant knew the products inside out and answered every question.",
            "The assistant handled everything quickly and professionally.",
            "Our training was good, so I can handle the everyday tasks confidently.",
        ],
    },
    ("core_skills", "negative"): {
        "fi": [
            "Myyjä ei osannut vastata yksinkertaiseen kysymykseen takuusta.",
            "Uusi työntekijä ei tiennyt, miten palautus tehdään, ja joutui kysymään muilta.",
            "Perehdytystä ei juuri ollut, joten opettelen asiat asiakkaiden edessä.",
        ],
        "en": [
            "The assistant could not answer a simple question about the warranty.",
            "A new employee had no idea how to process a return.",
            "We barely get any training, so I learn things in front of customers.",
        ],
    },
    ("adaptability", "positive"): {
        "fi": [
            "Myyjä jaksoi kuunnella ja ehdotti parempaa vaihtoehtoa juuri minun tarpeisiini.",
            "Hän huomasi heti, että olin epävarma, ja otti rauhallisesti.",
            "Yritän aina lukea tilannetta ja sopeuttaa palvelun asiakkaan mukaan.",
        ],
        "en": [
            "She really listened and suggested something that suited my needs better.",
            "He noticed straight away that I was unsure and slowed right down.",
            "I always try to read the situation and adapt to each customer.",
        ],
    },
    ("adaptability", "negative"): {
        "fi": [
            "Myyjä luetteli vain saman kaavan, vaikka kerroin, että tarvitsen jotain muuta.",
            "Kukaan ei huomioinut, että minulla oli lastenvaunut ja kädet täynnä.",
            "Meidän pitää seurata käsikirjoitusta, vaikka asiakas tarvitsisi jotain ihan muuta.",
        ],
        "en": [
            "He just recited the same script even after I said I needed something else.",
            "Nobody seemed to notice I had a pram and my hands full.",
            "We have to follow the script even when the customer obviously needs something different.",
        ],
    },
    ("leadership", "positive"): {
        "fi": [
            "Esimies kannustaa ja antaa palautetta säännöllisesti.",
            "Meidän esihenkilö on aina tukena, kun tulee hankala tilanne.",
            "Johtaminen on selkeää, tiedän mitä minulta odotetaan.",
        ],
        "en": [
            "Our manager encourages us and gives feedback regularly.",
            "My supervisor always backs me up when a situation gets difficult.",
            "The store manager is clear about priorities, so I know what is expected.",
        ],
    },
    ("leadership", "negative"): {
        "fi": [
            "Esimies ei koskaan kysy, miten meillä menee.",
            "Johdolta ei tule mitään palautetta, paitsi kun jokin menee pieleen.",
            "Esihenkilöä ei näe myymälässä juuri koskaan.",
        ],
        "en": [
            "The manager never asks how we are doing.",
            "We only hear from management when something goes wrong.",
            "Our supervisor is hardly ever on the shop floor.",
        ],
    },
    ("autonomy", "positive"): {
        "fi": [
            "Saan itse päättää, miten hoidan asiakkaan ongelman.",
            "Meillä on lupa joustaa säännöistä, jos se auttaa asiakasta.",
            "Voin vaikuttaa omiin työtapoihini ja vuorojen suunnitteluun.",
        ],
        "en": [
            "I can decide for myself how to solve a customer's problem.",
            "We are allowed to bend the rules if it helps the customer.",
            "I have a real say in how I organise my own work.",
        ],
    },
    ("autonomy", "negative"): {
        "fi": [
            "Jokaiseen pieneen hyvitykseen pitää pyytää lupa esimieheltä.",
            "Emme saa itse päättää mitään, kaikki tulee ylhäältä valmiina.",
            "Omiin työtapoihin ei voi vaikuttaa lainkaan.",
        ],
        "en": [
            "I have to ask permission for every small refund.",
            "We are not allowed to decide anything ourselves, it all comes from head office.",
            "There is no room at all to do the job my own way.",
        ],
    },
    ("valued", "positive"): {
        "fi": [
            "Tunnen, että työtäni arvostetaan täällä.",
            "Olen ylpeä siitä, mitä teemme tässä myymälässä.",
            "Asiakkaat ja johto kiittävät usein, se tuntuu hyvältä.",
        ],
        "en": [
            "I feel that my work is really appreciated here.",
            "I am proud of what we do in this store.",
            "Customers and management often say thank you, and that means a lot.",
        ],
    },
    ("valued", "negative"): {
        "fi": [
            "Tuntuu, ettei meidän työtä arvosteta yhtään.",
            "Kukaan ei kiitä, vaikka tekisi kuinka paljon ylimääräistä.",
            "Työtämme pidetään itsestäänselvyytenä.",
        ],
        "en": [
            "It feels like nobody values what we do.",
            "You never get a thank you, however much extra you put in.",
            "Our work is taken for granted.",
        ],
    },
    ("empathy", "positive"): {
        "fi": [
            "Tunsin, että minusta oikeasti välitettiin.",
            "Myyjä oli lämmin ja ystävällinen, ja minulle jäi tosi hyvä mieli.",
            "Hän ymmärsi heti, miksi olin harmissani, ja pahoitteli vilpittömästi.",
        ],
        "en": [
            "I felt genuinely cared for.",
            "The assistant was warm and kind, and I left in a really good mood.",
            "She understood right away why I was upset and apologised sincerely.",
        ],
    },
    ("empathy", "negative"): {
        "fi": [
            "Minua kohdeltiin kuin numeroa, eikä ketään kiinnostanut.",
            "Myyjä oli tyly ja minulle jäi paha mieli.",
            "Tuntui, ettei tunteillani ollut mitään väliä.",
        ],
        "en": [
            "I was treated like a number and nobody cared.",
            "The assistant was rude and I left feeling upset.",
            "It felt like my feelings did not matter at all.",
        ],
    },
    ("expectation", "negative"): {
        "fi": [
            "Mainoksessa luvattiin paljon enemmän kuin mitä lopulta sain.",
            "Odotin ihan muuta, lupaus ei pitänyt.",
            "Verkkosivuilla kerrottiin toisin, joten pettymys oli suuri.",
        ],
        "en": [
            "The advert promised far more than I actually got.",
            "It did not live up to what they promised.",
            "The website said something different, so I was really disappointed.",
        ],
    },
    ("expectation", "positive"): {
        "fi": [
            "Sain juuri sen, mitä luvattiin, ja vähän enemmänkin.",
            "Kaikki meni niin kuin oli sovittu.",
            "Odotukseni täyttyivät täysin.",
        ],
        "en": [
            "I got exactly what was promised, and a little more.",
            "Everything went just as we had agreed.",
            "It fully met my expectations.",
        ],
    },
    ("effort", "negative"): {
        "fi": [
            "Jouduin selittämään asiani kolmeen kertaan eri ihmisille.",
            "Palautuksen tekeminen oli tosi työlästä ja monimutkaista.",
            "Lomakkeen täyttäminen vei ikuisuuden.",
        ],
        "en": [
            "I had to explain my problem three times to different people.",
            "Making the return was a real hassle and far too complicated.",
            "Filling in the form took forever.",
        ],
    },
    ("effort", "positive"): {
        "fi": [
            "Kaikki oli tosi helppoa ja vaivatonta.",
            "Asia hoitui yhdellä käynnillä ilman mitään säätöä.",
            "Tilaaminen oli nopeaa ja yksinkertaista.",
        ],
        "en": [
            "It was all really easy and effortless.",
            "It was sorted in one go without any fuss.",
            "Ordering was quick and simple.",
        ],
    },
    ("hygiene_delivery", "negative"): {
        "fi": [
            "Paketti tuli kaksi päivää myöhässä.",
            "Toimitus viivästyi, eikä siitä ilmoitettu mitään.",
            "Tilaus saapui rikkinäisenä.",
        ],
        "en": [
            "The parcel arrived two days late.",
            "The delivery was delayed and nobody told me.",
            "My order arrived damaged.",
        ],
    },
    ("hygiene_delivery", "positive"): {
        "fi": [
            "Paketti tuli ajallaan ja hyvin pakattuna.",
            "Toimitus oli perillä jo seuraavana päivänä.",
        ],
        "en": [
            "The parcel came on time and well packed.",
            "Delivery arrived the very next day.",
        ],
    },
    ("hygiene_checkout", "negative"): {
        "fi": [
            "Kassalla oli aivan hirveä jono.",
            "Maksupääte ei toiminut ja jouduin odottamaan pitkään.",
            "Jonotin kassalle yli vartin.",
        ],
        "en": [
            "The queue at the checkout was terrible.",
            "The card reader kept failing and I had to wait ages to pay.",
            "I queued for over fifteen minutes to pay.",
        ],
    },
    ("hygiene_checkout", "positive"): {
        "fi": [
            "Maksaminen kävi nopeasti, kassalla ei ollut jonoa.",
            "Kassalla kaikki sujui hetkessä.",
        ],
        "en": [
            "Paying was quick, there was no queue at the till.",
            "Checkout took no time at all.",
        ],
    },
    ("hygiene_availability", "negative"): {
        "fi": [
            "Tuote oli taas loppu hyllystä.",
            "Etsimääni kokoa ei ollut varastossa.",
            "Puolet tarjoustuotteista oli loppuunmyyty.",
        ],
        "en": [
            "The product was out of stock again.",
            "They did not have my size in stock.",
            "Half of the items on offer were sold out.",
        ],
    },
    ("hygiene_availability", "positive"): {
        "fi": [
            "Kaikki tarvitsemani löytyi hyllystä.",
            "Tuotetta oli hyvin saatavilla.",
        ],
        "en": [
            "Everything I needed was on the shelf.",
            "The item was easily available.",
        ],
    },
    ("hygiene_reachability", "negative"): {
        "fi": [
            "Asiakaspalveluun ei päässyt läpi, puhelin vain tuuttasi.",
            "Kukaan ei vastannut puhelimeen koko päivänä.",
            "Sähköpostiini ei vastattu viikkoon.",
        ],
        "en": [
            "Nobody answered the phone all day.",
            "I could not get through to customer service at all.",
            "My email went unanswered for a week.",
        ],
    },
    ("hygiene_reachability", "positive"): {
        "fi": [
            "Asiakaspalveluun pääsi heti läpi.",
            "Puhelimeen vastattiin saman tien.",
        ],
        "en": [
            "I got through to customer service straight away.",
            "They picked up the phone immediately.",
        ],
    },
    ("wow", "positive"): {
        "fi": [
            "Myyjä näki paljon vaivaa ja yllätti minut täysin.",
            "He lähettivät vielä jälkikäteen käsin kirjoitetun kiitoskortin, aivan mahtavaa.",
            "Palvelu ylitti kaikki odotukset, en ole koskaan kokenut vastaavaa.",
        ],
        "en": [
            "The assistant went above and beyond and completely surprised me.",
            "They even sent a handwritten thank-you card afterwards, which was amazing.",
            "The service blew me away, I have never experienced anything like it.",
        ],
    },
    ("price_value", "negative"): {
        "fi": [
            "Hinta oli aivan liian kallis siihen nähden, mitä sai.",
            "Sama tuote olisi ollut muualla paljon halvempi.",
            "Hinta-laatusuhde ei ollut kohdallaan.",
        ],
        "en": [
            "The price was far too high for what you get.",
            "The same product was much cheaper elsewhere.",
            "It was poor value for money.",
        ],
    },
    ("price_value", "positive"): {
        "fi": [
            "Hinta oli kohdallaan ja sai rahalle vastinetta.",
            "Tarjoushinta oli tosi edullinen.",
        ],
        "en": [
            "The price was fair and it was good value for money.",
            "The sale price was a real bargain.",
        ],
    },
    ("delivery_reliability", "negative"): {
        "fi": [
            "Luvattu toimitusaika ei pidä koskaan.",
            "Toimitukset ovat epäluotettavia, aina jotain sattuu.",
        ],
        "en": [
            "The promised delivery date is never kept.",
            "Their deliveries are unreliable, something always goes wrong.",
        ],
    },
    ("delivery_reliability", "positive"): {
        "fi": [
            "Toimitukset tulevat aina luvattuna päivänä, niihin voi luottaa.",
            "Toimitusaika on aina pitänyt.",
        ],
        "en": [
            "Deliveries always come on the promised day, you can rely on them.",
            "They have always kept the delivery date.",
        ],
    },
}

# moment -> {lang: context sentences that tie a turn to the moment}
MOMENT_CONTEXT: dict[str, dict[str, list[str]]] = {
    "discover": {
        "fi": ["Löysin heidät alun perin mainoksen kautta.", "Etsin ensin tietoa verkkosivuilta.",
               "Kuulin liikkeestä ystävältä ja tulin katsomaan."],
        "en": ["I first found them through an advert.", "I started by looking around on their website.",
               "A friend told me about the shop, so I came to have a look."],
    },
    "choose": {
        "fi": ["Kun vertailin vaihtoehtoja myymälässä,", "Valintaa tehdessäni kysyin neuvoa.",
               "Mietin pitkään, minkä mallin ottaisin."],
        "en": ["While I was comparing the options in the shop,", "When I was choosing, I asked for advice.",
               "I spent a while deciding which model to get."],
    },
    "buy": {
        "fi": ["Kun menin maksamaan,", "Ostohetkellä,", "Itse ostotapahtumassa,"],
        "en": ["When I went to pay,", "At the till,", "When it came to actually buying it,"],
    },
    "receive": {
        "fi": ["Kun tilaus sitten tuli,", "Noutaessani tilausta,", "Toimituksen kanssa,"],
        "en": ["When the order finally came,", "When I picked up my order,", "With the delivery,"],
    },
    "use": {
        "fi": ["Käytössä,", "Kun olin käyttänyt tuotetta pari viikkoa,", "Arjessa käytettynä,"],
        "en": ["Using it day to day,", "After a couple of weeks of use,", "Once I started using it,"],
    },
    "get_help": {
        "fi": ["Kun tarvitsin apua myöhemmin,", "Kun otin yhteyttä asiakaspalveluun,", "Vian sattuessa,"],
        "en": ["When I needed help later on,", "When I contacted customer service,", "When something broke,"],
    },
}

EMPLOYEE_CONTEXT: dict[str, dict[str, list[str]]] = {
    "discover": {"fi": ["Kun asiakkaat vasta tutustuvat meihin,"], "en": ["When customers first find us,"]},
    "choose": {"fi": ["Myyntitilanteessa,", "Kun asiakas miettii vaihtoehtoja,"],
               "en": ["On the sales floor,", "When a customer is weighing up options,"]},
    "buy": {"fi": ["Kassalla,", "Kassalla,"], "en": ["On the tills,", "At the checkout,"]},
    "receive": {"fi": ["Noutojen ja toimitusten kanssa,"], "en": ["With collections and deliveries,"]},
    "use": {"fi": ["Kun asiakas palaa käytön jälkeen,"], "en": ["When customers come back after using things,"]},
    "get_help": {"fi": ["Kun asiakas tarvitsee apua,", "Puhelinpalvelussa"],
                 "en": ["When a customer needs help,", "On the phone line,"]},
}

QUESTIONS = {
    "customer": {
        "fi": ["Kertoisitko viimeisimmästä asioinnistasi?", "Miltä se tuntui?", "Mitä sitten tapahtui?",
               "Miten henkilökunta toimi?", "Oliko jotain, mikä jäi erityisesti mieleen?",
               "Miten ostaminen sujui?", "Entä toimitus tai nouto?", "Jos tarvitsit apua, miten sen sai?",
               "Suosittelisitko heitä muille? Miksi?"],
        "en": ["Could you tell me about your last visit?", "How did that feel?", "What happened next?",
               "How did the staff handle it?", "Was there anything that stood out?", "How did buying go?",
               "And the delivery or collection?", "If you needed help, how did you get it?",
               "Would you recommend them? Why?"],
    },
    "employee": {
        "fi": ["Millainen tavallinen työpäiväsi on?", "Miten teillä riittää aikaa asiakkaille?",
               "Miten esimies tukee työtäsi?", "Mikä työssä on parasta?", "Mikä vaikeuttaa hyvää palvelua?",
               "Kuinka paljon voit itse vaikuttaa työhösi?", "Miten teidät on koulutettu?",
               "Miltä asiakkaiden kohtaaminen tuntuu?"],
        "en": ["What is a normal working day like?", "Do you have enough time for customers?",
               "How does your manager support you?", "What is the best part of the job?",
               "What gets in the way of good service?", "How much say do you have in your own work?",
               "How were you trained?", "How does dealing with customers feel?"],
    },
}

SMALL_TALK = {
    "fi": ["Hmm, vaikea sanoa.", "Joo, niin kuin sanoin.", "En oikein muista tarkemmin.", "No, se on ihan tavallista."],
    "en": ["Hmm, hard to say.", "Yes, as I said.", "I do not really remember the details.", "Well, it is pretty normal."],
}

OPENERS = {
    "fi": ["", "", "No, ", "Rehellisesti sanottuna ", "Täytyy sanoa, että ", "Muistan, että "],
    "en": ["", "", "Well, ", "Honestly, ", "I have to say ", "I remember that "],
}

# Survey comments: (moment, tone) building blocks
COMMENT_TONE = {
    "positive": {
        "fi": ["Erinomaista palvelua, kiitos!", "Henkilökunta oli ystävällistä ja avuliasta.", "Kaikki sujui hyvin.",
               "Myyjä auttoi löytämään sopivan tuotteen.", "Nopea ja helppo asiointi."],
        "en": ["Excellent service, thank you!", "Friendly and helpful staff.", "Everything went smoothly.",
               "The assistant helped me find the right product.", "Quick and easy."],
    },
    "neutral": {
        "fi": ["Ihan ok.", "Ei valittamista, mutta ei mitään erityistäkään.", "Keskiverto kokemus."],
        "en": ["It was ok.", "Nothing to complain about, nothing special either.", "An average experience."],
    },
    "negative": {
        "fi": ["Liian pitkä jono kassalla.", "Kukaan ei ehtinyt auttaa.", "Paketti tuli myöhässä.",
               "Asiakaspalveluun ei saanut yhteyttä.", "Myyjä oli tyly.", "Tuote oli loppu."],
        "en": ["The queue at the till was far too long.", "Nobody had time to help.", "The parcel came late.",
               "Could not reach customer service.", "The assistant was rude.", "The product was out of stock."],
    },
}

UNIT_NAMES = [
    "Kallio", "Tikkurila", "Tapiola", "Hervanta", "Kupittaa", "Ideapark", "Itäkeskus", "Sello", "Jumbo", "Kamppi",
    "Hämeenkatu", "Raksila", "Keljo", "Kauppatori", "Kivistö", "Leppävaara", "Matinkylä", "Myyrmäki", "Puuvilla",
    "Skanssi", "Torikatu", "Rantakylä", "Kuokkala", "Linnanmaa",
]
REGIONS = ["Uusimaa", "Pirkanmaa", "Varsinais-Suomi", "Pohjois-Pohjanmaa", "Keski-Suomi"]

# Which sentences of the staff-related codes are in an employee's voice (indices per language);
# the rest of those codes' sentences are in a customer's voice.
EMPLOYEE_VOICE: dict[tuple[str, str], dict[str, list[int]]] = {
    ("staffing", "negative"): {"fi": [0, 3], "en": [2, 3]},
    ("staffing", "positive"): {"fi": [0], "en": [0]},
    ("passion", "positive"): {"fi": [1], "en": [1]},
    ("passion", "negative"): {"fi": [1], "en": [1]},
    ("product_belief", "positive"): {"fi": [0, 2], "en": [0, 2]},
    ("product_belief", "negative"): {"fi": [0, 2], "en": [0, 2]},
    ("core_skills", "positive"): {"fi": [2], "en": [2]},
    ("core_skills", "negative"): {"fi": [2], "en": [2]},
    ("adaptability", "positive"): {"fi": [2], "en": [2]},
    ("adaptability", "negative"): {"fi": [2], "en": [2]},
}
#: Codes only employees speak of (their whole bank is in an employee's voice).
EMPLOYEE_ONLY = {"leadership", "autonomy", "valued"}


def sentences_for(code: str, valence: str, lang: str, role: str) -> list[str]:
    """The sentences of ``(code, valence)`` in ``lang`` spoken in the voice of ``role``."""
    bank = CODE_SENTENCES[(code, valence)][lang]
    if code in EMPLOYEE_ONLY:
        return bank if role == "employee" else []
    voice = EMPLOYEE_VOICE.get((code, valence))
    if voice is None:
        return bank if role == "customer" else []
    own = set(voice[lang])
    return [s for i, s in enumerate(bank) if (i in own) == (role == "employee")]

# Survey comments by moment and tone: what customers write about each moment.
MOMENT_COMMENTS: dict[str, dict[str, dict[str, list[str]]]] = {
    "discover": {
        "positive": {"fi": ["Mainos oli selkeä ja hinnat näkyvillä.", "Verkkosivuilta löytyi helposti kaikki tieto."],
                     "en": ["The advert was clear and prices were easy to see.", "Easy to find everything on the website."]},
        "negative": {"fi": ["Mainoksen hinnat eivät pitäneet paikkaansa.", "Verkkosivut olivat sekavat."],
                     "en": ["The prices in the advert were misleading.", "The website was confusing."]},
    },
    "choose": {
        "positive": {"fi": ["Myyjä kuunteli ja osasi neuvoa hyvin.", "Sain asiantuntevaa apua valintaan."],
                     "en": ["The assistant listened and gave great advice.", "Knowledgeable help choosing the right one."]},
        "negative": {"fi": ["Kukaan ei ehtinyt auttaa valinnassa.", "Myyjä ei osannut neuvoa."],
                     "en": ["Nobody had time to help me choose.", "The assistant could not give any advice."]},
    },
    "buy": {
        "positive": {"fi": ["Ystävällinen kassa ja nopea maksaminen.", "Myyjä oli iloinen ja palvelu sujuvaa."],
                     "en": ["Friendly cashier and quick checkout.", "Cheerful staff and smooth service at the till."]},
        "negative": {"fi": ["Liian pitkä jono kassalla, vain yksi myyjä.", "Myyjä oli tyly kassalla."],
                     "en": ["The queue at the till was far too long with only one person working.", "The cashier was rude."]},
    },
    "receive": {
        "positive": {"fi": ["Paketti tuli ajallaan.", "Nouto sujui nopeasti."],
                     "en": ["The parcel came on time.", "Collection was quick."]},
        "negative": {"fi": ["Paketti tuli myöhässä.", "Toimitus viivästyi ilman ilmoitusta."],
                     "en": ["The parcel came late.", "The delivery was delayed without notice."]},
    },
    "use": {
        "positive": {"fi": ["Tuote toimii hyvin.", "Laatu on vastannut odotuksia."],
                     "en": ["The product works well.", "Quality has met my expectations."]},
        "negative": {"fi": ["Tuote hajosi nopeasti.", "Laatu oli pettymys."],
                     "en": ["The product broke quickly.", "The quality was a disappointment."]},
    },
    "get_help": {
        "positive": {"fi": ["Asiakaspalvelu oli ystävällinen ja ratkaisi asian.", "Sain apua heti, kiitos."],
                     "en": ["Customer service was kind and solved my problem.", "Got help straight away, thanks."]},
        "negative": {"fi": ["Asiakaspalveluun ei saanut yhteyttä.", "Asiakaspalvelija oli välinpitämätön."],
                     "en": ["Could not reach customer service.", "The agent seemed indifferent."]},
    },
}
