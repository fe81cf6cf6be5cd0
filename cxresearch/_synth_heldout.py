"""Held-out phrasing for synthetic interviews: parallel Finnish/English sentences written from the code
definitions alone (not from the coder's cue lists), so auto-coding can be tested on phrasing it was not built from."""
from __future__ import annotations

# (code, valence) -> list of {"role": "customer" | "employee", "fi": str, "en": str}; fi and en say the same thing.
HELDOUT_SENTENCES: dict[tuple[str, str], list[dict[str, str]]] = {
    ("staffing", "negative"): [
        {
            "role": "customer",
            "fi": "Koko myymälässä tuntui olevan vain yksi myyjä, joka juoksi osastolta toiselle.",
            "en": (
                "There seemed to be just one salesperson in the whole store, "
                "running from one department to the next."
            ),
        },
        {
            "role": "customer",
            "fi": "Seisoin käytävällä varmaan kymmenen minuuttia, eikä ketään henkilökunnasta näkynyt missään.",
            "en": "I stood in the aisle for a good ten minutes and there wasn't a single member of staff in sight.",
        },
        {
            "role": "customer",
            "fi": (
                "Näki kyllä, että heitä oli liian vähän, kun sama ihminen "
                "yritti palvella kolmea asiakasta yhtä aikaa."
            ),
            "en": "You could tell they were short-handed; the same person was trying to serve three customers at once.",
        },
        {
            "role": "employee",
            "fi": (
                "Lauantaisin meitä on vuorossa usein vain kaksi, vaikka "
                "porukkaa tulee ovista ihan jatkuvalla syötöllä."
            ),
            "en": (
                "On Saturdays there are often only two of us on shift, even "
                "though people keep streaming in the door non-stop."
            ),
        },
        {
            "role": "employee",
            "fi": "Sairauslomia ei paikkaa kukaan, joten loput meistä vain juoksevat kahta kovempaa.",
            "en": "Nobody covers for sick leave, so the rest of us just run twice as hard.",
        },
        {
            "role": "employee",
            "fi": "Ei ollut aikaa kunnolla auttaa ketään, koska olin koko illan yksin myymälän puolella.",
            "en": "I didn't have time to properly help anyone because I was alone on the shop floor all evening.",
        },
    ],
    ("staffing", "positive"): [
        {
            "role": "customer",
            "fi": "Myyjiä oli selvästi tarpeeksi, joku tuli heti kysymään, tarvitsenko apua.",
            "en": "There were clearly enough salespeople; someone came over right away to ask if I needed help.",
        },
        {
            "role": "customer",
            "fi": "Vaikka oli lauantai ja paljon väkeä, henkilökuntaa riitti joka osastolle.",
            "en": "Even though it was a Saturday and busy, there were enough staff for every department.",
        },
        {
            "role": "customer",
            "fi": "Ei tarvinnut etsiä ketään, työntekijöitä oli myymälässä useampi koko ajan.",
            "en": "I didn't have to hunt for anyone; there were several employees out on the floor the whole time.",
        },
        {
            "role": "employee",
            "fi": "Nykyään vuorot on miehitetty niin, että ruuhka-aikaan meitä on riittävästi.",
            "en": "These days the shifts are staffed so that there are enough of us at peak times.",
        },
        {
            "role": "employee",
            "fi": "Kun joku sairastuu, sijainen löytyy yleensä samaksi päiväksi, eikä kenenkään tarvitse venyä.",
            "en": "When someone falls ill we usually find cover the same day, so nobody has to stretch.",
        },
        {
            "role": "employee",
            "fi": "Ehdin oikeasti jutella asiakkaiden kanssa, koska vuorossa on tarpeeksi porukkaa.",
            "en": "I actually have time to talk with customers, because there are enough people on shift.",
        },
    ],
    ("passion", "negative"): [
        {
            "role": "customer",
            "fi": "Myyjä näytti siltä, ettei häntä voisi vähempää kiinnostaa, mitä ostan.",
            "en": "The salesperson looked like they couldn't be less interested in what I bought.",
        },
        {
            "role": "customer",
            "fi": "Tuntui, että henkilökunta vain laski minuutteja sulkemisaikaan.",
            "en": "It felt like the staff were just counting the minutes until closing time.",
        },
        {
            "role": "customer",
            "fi": "Kysyin vaihtoehdoista, mutta vastaus oli pelkkä olankohautus ja ”ihan sama kumpi”.",
            "en": "I asked about the options, but the answer was just a shrug and \"either one, whatever\".",
        },
        {
            "role": "employee",
            "fi": "Rehellisesti sanottuna into on hiipunut, teen tätä enää lähinnä palkan takia.",
            "en": "Honestly, the spark has gone; these days I mostly do this for the paycheck.",
        },
        {
            "role": "employee",
            "fi": "En jaksa enää innostua myymisestä, se tuntuu pelkältä suorittamiselta.",
            "en": "I can't get excited about selling anymore; it just feels like going through the motions.",
        },
        {
            "role": "employee",
            "fi": "Ennen tykkäsin tulla töihin, nykyään ei ole mitään, mikä saisi minut syttymään.",
            "en": "I used to like coming in to work; now there's nothing that really fires me up.",
        },
    ],
    ("passion", "positive"): [
        {
            "role": "customer",
            "fi": "Myyjä oli ihan liekeissä uusista malleista ja esitteli niitä innolla.",
            "en": "The salesperson was really fired up about the new models and showed them off with enthusiasm.",
        },
        {
            "role": "customer",
            "fi": "Huomasi, että hän nautti työstään, se näkyi koko olemuksesta.",
            "en": "You could see they loved their job; it showed in their whole manner.",
        },
        {
            "role": "customer",
            "fi": "Harvoin näkee noin innostunutta palvelua, hän oikein hehkui kertoessaan vaihtoehdoista.",
            "en": (
                "You rarely see service that eager; they were practically "
                "glowing as they talked through the options."
            ),
        },
        {
            "role": "employee",
            "fi": "Saan edelleen kiksejä myymisestä, yksi hyvä kauppa pelastaa koko päivän.",
            "en": "I still get a kick out of selling; one good sale makes my whole day.",
        },
        {
            "role": "employee",
            "fi": "Tulen aamulla töihin ihan mielelläni, tykkään tästä hommasta oikeasti.",
            "en": "I'm genuinely happy to come in to work in the morning; I really like this job.",
        },
        {
            "role": "employee",
            "fi": "Palveleminen on minulle se juttu, en osaisi kuvitellakaan tekeväni mitään muuta.",
            "en": "Serving people is my thing; I can't imagine doing anything else.",
        },
    ],
    ("product_belief", "negative"): [
        {
            "role": "customer",
            "fi": "Myyjä myönsi suoraan, ettei itse ostaisi tätä mallia.",
            "en": "The salesperson admitted straight out that they wouldn't buy this model themselves.",
        },
        {
            "role": "customer",
            "fi": "Kun kysyin, onko tuote hyvä, hän vähän epäröi ja sanoi, että ”kai se ajaa asiansa”.",
            "en": "When I asked if the product was any good, they hesitated and said \"I suppose it does the job\".",
        },
        {
            "role": "customer",
            "fi": "Ei kuulostanut siltä, että henkilökunta itse luottaisi siihen, mitä he myyvät.",
            "en": "It didn't sound like the staff themselves trusted what they were selling.",
        },
        {
            "role": "employee",
            "fi": "Meidän pitää suositella omaa mallistoa, vaikka tiedän, että laatu on heikentynyt.",
            "en": "We're supposed to push our own range, even though I know the quality has gone down.",
        },
        {
            "role": "employee",
            "fi": "En käyttäisi itse puoliakaan niistä tuotteista, joita joudun myymään.",
            "en": "I wouldn't use half the products I have to sell myself.",
        },
        {
            "role": "employee",
            "fi": "Palautuksia tulee niin paljon, että on vaikea seistä tuotteen takana.",
            "en": "We get so many returns that it's hard to stand behind the product.",
        },
    ],
    ("product_belief", "positive"): [
        {
            "role": "customer",
            "fi": "Myyjä kertoi käyttäneensä samaa takkia itse jo kolme talvea.",
            "en": "The salesperson told me they'd worn the same jacket themselves for three winters.",
        },
        {
            "role": "customer",
            "fi": "Hän puhui tuotteesta niin vakuuttuneesti, että uskoin heti sen kestävän.",
            "en": "They talked about the product with such conviction that I believed straight away it would last.",
        },
        {
            "role": "customer",
            "fi": "Huomasi, että henkilökunta oikeasti luottaa siihen, mitä myy.",
            "en": "You could tell the staff genuinely trust what they sell.",
        },
        {
            "role": "employee",
            "fi": "Minulla on itsellänikin kotona sama imuri, joten suosittelen sitä ihan hyvällä omallatunnolla.",
            "en": "I have the same vacuum cleaner at home myself, so I recommend it with a clear conscience.",
        },
        {
            "role": "employee",
            "fi": "Tiedän, että nämä kengät kestävät, koska olen kävellyt omillani joka päivä vuoden ajan.",
            "en": "I know these shoes hold up, because I've walked in my own pair every day for a year.",
        },
        {
            "role": "employee",
            "fi": "On helppo myydä, kun uskoo tuotteeseen itse sataprosenttisesti.",
            "en": "Selling is easy when you believe in the product a hundred percent yourself.",
        },
    ],
    ("core_skills", "negative"): [
        {
            "role": "customer",
            "fi": "Myyjä ei tiennyt tuotteen ominaisuuksista juuri mitään ja luki tiedot suoraan tuotekortista.",
            "en": (
                "The salesperson knew next to nothing about the product's "
                "features and read everything off the product sheet."
            ),
        },
        {
            "role": "customer",
            "fi": "Hän ei osannut vastata yksinkertaiseen kysymykseen materiaalista, vaan joutui kysymään kollegalta.",
            "en": "They couldn't answer a simple question about the material and had to go and ask a colleague.",
        },
        {
            "role": "customer",
            "fi": "Vaikutti siltä, että myyjä oli ensimmäistä päivää töissä eikä kukaan ollut opastanut häntä.",
            "en": "It seemed like the salesperson was on their first day and nobody had shown them the ropes.",
        },
        {
            "role": "employee",
            "fi": "Perehdytys kesti puoli päivää, ja sen jälkeen piti vain pärjätä.",
            "en": "Induction lasted half a day, and after that you just had to cope.",
        },
        {
            "role": "employee",
            "fi": "Uusista tuotteista ei ole tullut mitään koulutusta, joten arvailen usein, kun asiakas kysyy jotain.",
            "en": (
                "We haven't had any training on the new products, so I'm "
                "often guessing when a customer asks something."
            ),
        },
        {
            "role": "employee",
            "fi": "En tunne vieläkään kaikkia tuoteryhmiä kunnolla, vaikka olen ollut täällä puoli vuotta.",
            "en": "I still don't know all the product groups properly, even though I've been here six months.",
        },
    ],
    ("core_skills", "positive"): [
        {
            "role": "customer",
            "fi": "Myyjä tiesi tuotteista kaiken, materiaaleista huolto-ohjeisiin.",
            "en": "The salesperson knew everything about the products, from the materials to the care instructions.",
        },
        {
            "role": "customer",
            "fi": "Todella ammattitaitoista porukkaa, jokaiseen kysymykseen tuli selkeä vastaus.",
            "en": "Really professional people; every question got a clear answer.",
        },
        {
            "role": "customer",
            "fi": "Hän osasi selittää mallien erot niin, että ymmärsin ne heti.",
            "en": "They could explain the differences between the models so that I got it right away.",
        },
        {
            "role": "employee",
            "fi": "Saimme kunnon koulutuksen uudesta mallistosta, joten osaan vastata melkein mihin vain.",
            "en": "We got proper training on the new range, so I can answer almost anything.",
        },
        {
            "role": "employee",
            "fi": "Perehdytys oli tosi hyvä, ja minulla oli kokenut työkaveri tukena ensimmäiset viikot.",
            "en": (
                "The induction was really good, and I had an experienced "
                "colleague backing me up for the first few weeks."
            ),
        },
        {
            "role": "employee",
            "fi": "Tunnen tuotteet niin hyvin, että osaan neuvoa tarkistamatta mitään.",
            "en": "I know the products so well that I can advise without having to check anything.",
        },
    ],
    ("adaptability", "negative"): [
        {
            "role": "customer",
            "fi": "Myyjä kävi läpi saman valmiin spiikin, vaikka sanoin heti, mitä etsin.",
            "en": (
                "The salesperson ran through the same canned spiel even though I "
                "told them right away what I was looking for."
            ),
        },
        {
            "role": "customer",
            "fi": "Hän ei kuunnellut ollenkaan, vaan tyrkytti tuotetta, jota en ollut edes kysynyt.",
            "en": "They didn't listen at all and kept pushing a product I hadn't even asked about.",
        },
        {
            "role": "customer",
            "fi": "Palvelu oli täysin kaavamaista, ihan kuin olisi puhunut nauhoitteelle.",
            "en": "The service was completely by the book, like talking to a recording.",
        },
        {
            "role": "employee",
            "fi": "Myönnän, että menen usein rutiinilla enkä aina pysähdy kuuntelemaan, mitä asiakas oikeasti hakee.",
            "en": (
                "I admit I often go on autopilot and don't always stop to "
                "listen to what the customer is really after."
            ),
        },
        {
            "role": "employee",
            "fi": "Huomaan antavani kaikille samat neuvot, oli asiakkaan tilanne mikä tahansa.",
            "en": "I catch myself giving everyone the same advice, whatever the customer's situation.",
        },
        {
            "role": "employee",
            "fi": "En aina osaa lukea, haluaako asiakas jutella vai olla rauhassa.",
            "en": "I can't always read whether a customer wants to chat or be left alone.",
        },
    ],
    ("adaptability", "positive"): [
        {
            "role": "customer",
            "fi": "Hän kuunteli tarkkaan, mihin tarvitsin laitetta, ja ehdotti sen perusteella kahta vaihtoehtoa.",
            "en": "They listened carefully to what I needed the device for and suggested two options based on that.",
        },
        {
            "role": "customer",
            "fi": "Myyjä huomasi, että minulla oli lapset mukana, ja piti asian lyhyenä ja ytimekkäänä.",
            "en": "The salesperson noticed I had the kids with me and kept it short and to the point.",
        },
        {
            "role": "customer",
            "fi": "Neuvot oli räätälöity juuri minun tilanteeseeni, ei mitään yleistä jorinaa.",
            "en": "The advice was tailored to my particular situation, not some generic patter.",
        },
        {
            "role": "employee",
            "fi": "Yritän aina ensin kuunnella, mitä asiakas oikeasti tarvitsee, ennen kuin ehdotan mitään.",
            "en": "I always try to listen first to what the customer actually needs before I suggest anything.",
        },
        {
            "role": "employee",
            "fi": "Jotkut haluavat paljon juttua, toiset vain nopean vastauksen, ja siihen mukaudun.",
            "en": "Some people want a lot of chat, others just a quick answer, and I adjust to that.",
        },
        {
            "role": "employee",
            "fi": "Luen asiakkaan olemuksesta aika nopeasti, kannattaako tulla lähemmäs vai antaa tilaa.",
            "en": (
                "I can tell fairly quickly from a customer's body language "
                "whether to come closer or give them space."
            ),
        },
    ],
    ("leadership", "negative"): [
        {
            "role": "employee",
            "fi": "Esihenkilöltä ei saa palautetta ollenkaan, ei hyvää eikä huonoa.",
            "en": "You get no feedback from the manager at all, neither good nor bad.",
        },
        {
            "role": "employee",
            "fi": "Tavoitteet muuttuvat viikoittain, eikä kukaan kerro, mihin meidän pitäisi keskittyä.",
            "en": "The targets change every week and nobody tells us what we should focus on.",
        },
        {
            "role": "employee",
            "fi": "Kun pyysin apua hankalassa tilanteessa, esimies vain kohautti olkiaan.",
            "en": "When I asked for help with a tricky situation, the boss just shrugged.",
        },
        {
            "role": "employee",
            "fi": "Myymäläpäällikköä näkee ehkä kerran kuussa, ja silloinkin hän vain arvostelee.",
            "en": "We see the store manager maybe once a month, and even then they only criticise.",
        },
        {
            "role": "employee",
            "fi": "Viikkopalaverit on pelkkää lukujen läpikäyntiä, kukaan ei kysy, miten jaksamme.",
            "en": "The weekly meetings are just going through numbers; nobody asks how we're coping.",
        },
        {
            "role": "employee",
            "fi": "En ole koskaan saanut kunnon kehityskeskustelua, vaikka olen ollut talossa kolme vuotta.",
            "en": "I've never had a proper development review, even though I've been with the company three years.",
        },
    ],
    ("leadership", "positive"): [
        {
            "role": "employee",
            "fi": "Esihenkilö käy joka viikko kanssani läpi, mikä meni hyvin ja missä voisin kehittyä.",
            "en": "My manager goes through with me every week what went well and where I could improve.",
        },
        {
            "role": "employee",
            "fi": "Tiimin vetäjä tekee tavoitteista tosi selkeät, joten tiedän aina, mihin pyrin.",
            "en": "Our team lead makes the goals really clear, so I always know what I'm aiming for.",
        },
        {
            "role": "employee",
            "fi": "Kun minulla oli raskas viikko, pomo otti asian itse puheeksi ja järjesti tukea.",
            "en": "When I had a rough week, the boss brought it up on their own and arranged some support.",
        },
        {
            "role": "employee",
            "fi": "Meidän esimies kannustaa ja antaa palautetta heti, ei vasta puolen vuoden päästä.",
            "en": "Our supervisor encourages us and gives feedback straight away, not six months later.",
        },
        {
            "role": "employee",
            "fi": "Johto kertoo avoimesti, miksi muutoksia tehdään, ja se motivoi ihan eri tavalla.",
            "en": "Management explains openly why changes are made, and that motivates you in a whole different way.",
        },
        {
            "role": "employee",
            "fi": "Aamupalaverissa saadaan aina selkeät ohjeet päivän painopisteistä.",
            "en": "In the morning huddle we always get clear guidance on the day's priorities.",
        },
    ],
    ("autonomy", "negative"): [
        {
            "role": "employee",
            "fi": "Jokaiseen pieneen poikkeukseen pitää pyytää lupa, vaikka tietäisin itse, mikä olisi järkevää.",
            "en": "I have to ask permission for every small exception, even when I know myself what would make sense.",
        },
        {
            "role": "employee",
            "fi": "Ohjeet on niin tiukat, ettei omaa harkintaa voi käyttää ollenkaan.",
            "en": "The rules are so tight that you can't use your own judgement at all.",
        },
        {
            "role": "employee",
            "fi": "Minulla ei ole mitään sananvaltaa siihen, miten hoidan oman osastoni.",
            "en": "I have no say at all in how I run my own section.",
        },
        {
            "role": "employee",
            "fi": "Vaikka näkisin paremman tavan tehdä asian, en saa poiketa prosessista.",
            "en": "Even if I can see a better way to do something, I'm not allowed to deviate from the process.",
        },
        {
            "role": "employee",
            "fi": "Tuntuu, että olen pelkkä suorittaja, kaikki päätetään jossain muualla.",
            "en": "It feels like I just carry out orders; everything's decided somewhere else.",
        },
        {
            "role": "employee",
            "fi": "Esillepanokin tulee valmiina kuvana, emmekä saa muuttaa siitä mitään.",
            "en": "Even the displays come as a ready-made picture and we can't change a thing.",
        },
    ],
    ("autonomy", "positive"): [
        {
            "role": "employee",
            "fi": "Saan itse päättää, miten järjestän päiväni ja mihin käytän aikani.",
            "en": "I get to decide myself how I organise my day and what I spend my time on.",
        },
        {
            "role": "employee",
            "fi": "Jos on hyvä syy tehdä asiakkaalle poikkeus, voin tehdä sen kysymättä keneltäkään.",
            "en": "If there's a good reason to make an exception for a customer, I can do it without asking anyone.",
        },
        {
            "role": "employee",
            "fi": "Meillä saa joustaa säännöistä, kunhan osaa perustella ratkaisunsa.",
            "en": "We're allowed to bend the rules as long as we can justify the call.",
        },
        {
            "role": "employee",
            "fi": "Oman osaston päätökset teen itse, eikä kukaan tule perään tarkistamaan.",
            "en": "I make the decisions about my own section myself, and nobody comes checking up after me.",
        },
        {
            "role": "employee",
            "fi": "Pidän siitä, että saan kokeilla omia ideoitani vaikkapa somistuksessa.",
            "en": "I like that I can try out my own ideas, for example with the window dressing.",
        },
        {
            "role": "employee",
            "fi": "Minulla on valtuudet ratkaista useimmat tilanteet saman tien paikan päällä.",
            "en": "I have the authority to sort out most situations right there on the spot.",
        },
    ],
    ("valued", "negative"): [
        {
            "role": "employee",
            "fi": "Kukaan ei koskaan sano kiitos, vaikka teen pitkiä päiviä.",
            "en": "Nobody ever says thank you, even though I put in long days.",
        },
        {
            "role": "employee",
            "fi": "Tuntuu, että meidän työtä pidetään itsestäänselvyytenä.",
            "en": "It feels like our work is just taken for granted.",
        },
        {
            "role": "employee",
            "fi": "Kun joku onnistuu, sitä ei huomaa kukaan, mutta virheistä kyllä kuulee.",
            "en": "When someone does well, nobody notices, but you sure hear about the mistakes.",
        },
        {
            "role": "employee",
            "fi": "En ole enää ylpeä siitä, missä olen töissä.",
            "en": "I'm not proud anymore of where I work.",
        },
        {
            "role": "employee",
            "fi": "Myyjän työtä vähätellään, ihan kuin se ei olisi oikeaa työtä.",
            "en": "Sales work gets belittled, as if it weren't real work.",
        },
        {
            "role": "employee",
            "fi": "Tuntuu, että minut voisi korvata kenellä tahansa noin vain.",
            "en": "It feels like I could be replaced by anyone just like that.",
        },
    ],
    ("valued", "positive"): [
        {
            "role": "employee",
            "fi": "On hienoa, kun asiakas palaa kiittämään viime kerran avusta.",
            "en": "It's great when a customer comes back to thank me for the help last time.",
        },
        {
            "role": "employee",
            "fi": "Olen oikeasti ylpeä siitä, mitä täällä teemme.",
            "en": "I'm genuinely proud of what we do here.",
        },
        {
            "role": "employee",
            "fi": "Koko tiimi sai kiitoksen joulusesongista, ja se lämmitti kovasti.",
            "en": "The whole team got thanked for the Christmas season, and that really warmed my heart.",
        },
        {
            "role": "employee",
            "fi": "Täällä työtäni arvostetaan, sen huomaa pienistä asioista.",
            "en": "My work is appreciated here; you notice it in the little things.",
        },
        {
            "role": "employee",
            "fi": "Kerron mielelläni tuttaville, missä olen töissä.",
            "en": "I'm happy to tell people I know where I work.",
        },
        {
            "role": "employee",
            "fi": "Tunnen, että minun panokseni oikeasti huomataan eikä sitä pidetä itsestään selvänä.",
            "en": "I feel my contribution is really noticed and not taken for granted.",
        },
    ],
    ("empathy", "negative"): [
        {
            "role": "customer",
            "fi": "Myyjä puhui minulle tosi tylysti, ja lähdin liikkeestä pahalla mielellä.",
            "en": "The salesperson was really curt with me and I left the shop feeling awful.",
        },
        {
            "role": "customer",
            "fi": "Tuntui, ettei ketään kiinnostanut pätkääkään, miten minulla menee.",
            "en": "It felt like nobody cared one bit how I was doing.",
        },
        {
            "role": "customer",
            "fi": "Kerroin olevani ihan hädissäni, mutta hän vain tuijotti minua ilmeettömänä.",
            "en": "I told them I was really upset, but they just stared at me blankly.",
        },
        {
            "role": "customer",
            "fi": "En tuntenut itseäni lainkaan tervetulleeksi.",
            "en": "I didn't feel welcome at all.",
        },
        {
            "role": "customer",
            "fi": "Minulle naurettiin päin naamaa, kun en ymmärtänyt jotain termiä.",
            "en": "They laughed in my face when I didn't understand some term.",
        },
        {
            "role": "customer",
            "fi": "Koko käynnistä jäi nöyryytetty olo.",
            "en": "The whole visit left me feeling humiliated.",
        },
    ],
    ("empathy", "positive"): [
        {
            "role": "customer",
            "fi": "Myyjä oli niin lämmin ja ystävällinen, että tuli ihan hyvä mieli.",
            "en": "The salesperson was so warm and kind that it really lifted my mood.",
        },
        {
            "role": "customer",
            "fi": "Tuntui, että minusta oikeasti välitettiin, en ollut vain yksi asiakas muiden joukossa.",
            "en": "I felt genuinely cared about, not just one more customer in the crowd.",
        },
        {
            "role": "customer",
            "fi": "Hän oli tosi myötätuntoinen, kun kerroin tarvitsevani asun hautajaisiin.",
            "en": "They were really sympathetic when I said I needed an outfit for a funeral.",
        },
        {
            "role": "customer",
            "fi": "Lähdin liikkeestä hymyssä suin.",
            "en": "I left the shop with a smile on my face.",
        },
        {
            "role": "customer",
            "fi": "Vaikka olin itse vähän kireä, hän pysyi rauhallisena ja kohteliaana.",
            "en": "Even though I was a bit on edge myself, they stayed calm and polite.",
        },
        {
            "role": "customer",
            "fi": "Minut saatiin tuntemaan itseni tervetulleeksi, ja se merkitsi minulle paljon.",
            "en": "I was made to feel welcome, and that meant a lot to me.",
        },
    ],
    ("expectation", "negative"): [
        {
            "role": "customer",
            "fi": "Mainoksessa luvattiin paljon enemmän kuin mitä oikeasti sain.",
            "en": "The ad promised a lot more than what I actually got.",
        },
        {
            "role": "customer",
            "fi": "Olin odottanut jotain ihan muuta, ja pettymys oli melkoinen.",
            "en": "I'd been expecting something quite different, and it was a real letdown.",
        },
        {
            "role": "customer",
            "fi": "Kuvissa sohva näytti isommalta ja tukevammalta kuin se todellisuudessa on.",
            "en": "In the pictures the sofa looked bigger and sturdier than it really is.",
        },
        {
            "role": "customer",
            "fi": "Myyjä vakuutti, että takki on vedenpitävä, mutta ensimmäisessä sateessa olin litimärkä.",
            "en": "The salesperson assured me the jacket was waterproof, but I got soaked in the first rain.",
        },
        {
            "role": "customer",
            "fi": "Ei se ollut lähelläkään sitä, mitä nettisivuilla kuvattiin.",
            "en": "It was nowhere near what the website described.",
        },
        {
            "role": "customer",
            "fi": "Lupaukset olivat komeita, mutta todellisuus jäi niistä kauas.",
            "en": "The promises were grand, but the reality fell far short of them.",
        },
    ],
    ("expectation", "positive"): [
        {
            "role": "customer",
            "fi": "Tuote oli juuri sellainen kuin mainoksessa luvattiin.",
            "en": "The product was exactly what the ad promised.",
        },
        {
            "role": "customer",
            "fi": "Sain sen, mitä odotinkin, eikä tullut ikäviä yllätyksiä.",
            "en": "I got just what I expected, and there were no nasty surprises.",
        },
        {
            "role": "customer",
            "fi": "Kaikki, mitä myyjä lupasi, piti paikkansa.",
            "en": "Everything the salesperson promised turned out to be true.",
        },
        {
            "role": "customer",
            "fi": "En pettynyt yhtään, laatu vastasi kuvausta täysin.",
            "en": "I wasn't disappointed at all; the quality matched the description completely.",
        },
        {
            "role": "customer",
            "fi": "Ennakko-odotukset olivat korkealla, ja ne kyllä täyttyivät.",
            "en": "My hopes were high beforehand, and they were certainly met.",
        },
        {
            "role": "customer",
            "fi": "Kerrankin asiat olivat juuri niin kuin sanottiin.",
            "en": "For once, things were just as they said they'd be.",
        },
    ],
    ("effort", "negative"): [
        {
            "role": "customer",
            "fi": "Jouduin selittämään saman asian kolmelle eri ihmiselle.",
            "en": "I had to explain the same thing to three different people.",
        },
        {
            "role": "customer",
            "fi": "Palautuksen tekeminen oli niin monimutkaista, että meinasin luovuttaa kesken.",
            "en": "Making a return was so complicated that I nearly gave up halfway.",
        },
        {
            "role": "customer",
            "fi": "Piti täyttää kaksi lomaketta ja kirjoittaa molempiin samat tiedot uudestaan.",
            "en": "I had to fill in two forms and write the same details in both all over again.",
        },
        {
            "role": "customer",
            "fi": "Takuuasia vaati kolme käyntiä liikkeessä ennen kuin se saatiin hoidettua.",
            "en": "The warranty issue took three trips to the shop before it got sorted.",
        },
        {
            "role": "customer",
            "fi": "Verkkosivuilla sai klikkailla ikuisuuden ennen kuin oikea lomake löytyi.",
            "en": "I had to click around the website forever before I found the right form.",
        },
        {
            "role": "customer",
            "fi": "Ei se ollut yhtään helppoa, joka vaiheessa piti todistaa jotain uudelleen.",
            "en": "It wasn't easy at all; at every step I had to prove something all over again.",
        },
    ],
    ("effort", "positive"): [
        {
            "role": "customer",
            "fi": "Koko juttu hoitui yhdellä käynnillä, eikä mitään tarvinnut selittää kahteen kertaan.",
            "en": "The whole thing was sorted in one visit, and I didn't have to explain anything twice.",
        },
        {
            "role": "customer",
            "fi": "Palautus oli tosi helppo, pari klikkausta ja valmista.",
            "en": "The return was really easy, a couple of clicks and done.",
        },
        {
            "role": "customer",
            "fi": "Kaikki oli tehty niin yksinkertaiseksi, ettei tarvinnut miettiä mitään.",
            "en": "Everything was made so simple that I didn't have to think about anything.",
        },
        {
            "role": "customer",
            "fi": "Takuuasia hoitui ilman minkäänlaista paperisotaa.",
            "en": "The warranty claim went through without any paperwork hassle.",
        },
        {
            "role": "customer",
            "fi": "He olivat jo valmiiksi perillä asiastani, joten ei tarvinnut aloittaa alusta.",
            "en": "They were already up to speed on my case, so I didn't have to start from scratch.",
        },
        {
            "role": "customer",
            "fi": "Vaivattomampaa asiointia saa hakea.",
            "en": "You'd be hard pressed to find anything more effortless.",
        },
    ],
    ("hygiene_delivery", "negative"): [
        {
            "role": "customer",
            "fi": "Paketti tuli neljä päivää myöhässä.",
            "en": "The parcel came four days late.",
        },
        {
            "role": "customer",
            "fi": "Laatikko oli ihan ruttuinen, ja yksi lautanen sisällä oli rikki.",
            "en": "The box was completely crushed and one of the plates inside was broken.",
        },
        {
            "role": "customer",
            "fi": "Pakkaus oli niin huono, että tuote oli naarmuuntunut matkalla.",
            "en": "The packaging was so poor that the product got scratched in transit.",
        },
        {
            "role": "customer",
            "fi": "Lähetys ei tullut sovittuna päivänä, vaan vasta seuraavalla viikolla.",
            "en": "The shipment didn't turn up on the agreed day, only the following week.",
        },
        {
            "role": "customer",
            "fi": "Sohvan kangas oli revennyt kuljetuksessa.",
            "en": "The sofa fabric had torn during transport.",
        },
        {
            "role": "customer",
            "fi": "Kuljettaja jätti paketin sateeseen oven eteen, ja pahvi oli ihan märkä.",
            "en": "The courier left the parcel out in the rain by the door and the cardboard was soaked through.",
        },
    ],
    ("hygiene_delivery", "positive"): [
        {
            "role": "customer",
            "fi": "Paketti tuli perille jo seuraavana päivänä.",
            "en": "The parcel arrived the very next day.",
        },
        {
            "role": "customer",
            "fi": "Kaikki oli pakattu huolellisesti, eikä mikään ollut rikki.",
            "en": "Everything was carefully packed and nothing was broken.",
        },
        {
            "role": "customer",
            "fi": "Toimitus saapui täsmälleen sovittuun aikaan.",
            "en": "The delivery arrived right at the agreed time.",
        },
        {
            "role": "customer",
            "fi": "Lasit oli kääritty niin hyvin, että ne selvisivät matkasta ehjinä.",
            "en": "The glasses were wrapped so well that they came through the journey in one piece.",
        },
        {
            "role": "customer",
            "fi": "Laatikot tulivat ajallaan, eikä niissä ollut naarmuakaan.",
            "en": "The boxes came on time, and there wasn't a scratch on them.",
        },
        {
            "role": "customer",
            "fi": "Tilaus oli kotiovella ennen kuin ehdin edes ihmetellä, missä se viipyy.",
            "en": "The order was on my doorstep before I'd even started wondering where it was.",
        },
    ],
    ("hygiene_checkout", "negative"): [
        {
            "role": "customer",
            "fi": "Kassajono kiemurteli melkein ovelle asti.",
            "en": "The checkout queue snaked almost all the way to the door.",
        },
        {
            "role": "customer",
            "fi": "Maksupääte ei suostunut lukemaan korttiani, ja jouduin yrittämään neljä kertaa.",
            "en": "The card reader wouldn't read my card and I had to try four times.",
        },
        {
            "role": "customer",
            "fi": "Itsepalvelukassa jumittui joka toisen tuotteen kohdalla.",
            "en": "The self-checkout froze on every other item.",
        },
        {
            "role": "customer",
            "fi": "Seisoin maksamassa varmaan parikymmentä minuuttia.",
            "en": "I must have stood in line to pay for about twenty minutes.",
        },
        {
            "role": "customer",
            "fi": "Lähimaksu ei toiminut, eikä käteistäkään otettu vastaan.",
            "en": "Contactless didn't work, and they wouldn't take cash either.",
        },
        {
            "role": "customer",
            "fi": "Maksaminen oli yhtä säätöä, kortti hylättiin kahdesti ilman mitään syytä.",
            "en": "Paying was a total faff; my card got declined twice for no reason.",
        },
    ],
    ("hygiene_checkout", "positive"): [
        {
            "role": "customer",
            "fi": "Maksaminen sujui nopeasti, kortti vain lukijaan ja valmista.",
            "en": "Paying went quickly, card on the reader and done.",
        },
        {
            "role": "customer",
            "fi": "Kassajonoa ei ollut ollenkaan.",
            "en": "There was no checkout queue at all.",
        },
        {
            "role": "customer",
            "fi": "Itsepalvelukassat toimivat moitteettomasti.",
            "en": "The self-checkouts worked flawlessly.",
        },
        {
            "role": "customer",
            "fi": "Lähimaksu meni läpi heti ensimmäisellä yrityksellä.",
            "en": "Contactless went through on the very first try.",
        },
        {
            "role": "customer",
            "fi": "Jonotusta oli ehkä minuutti, ja sitten olin jo ulkona.",
            "en": "There was maybe a minute of queueing and then I was already out the door.",
        },
        {
            "role": "customer",
            "fi": "Ei tarvinnut seistä jonossa, maksoin parissa sekunnissa.",
            "en": "I didn't have to stand in line; I paid in a couple of seconds.",
        },
    ],
    ("hygiene_availability", "negative"): [
        {
            "role": "customer",
            "fi": "Minun kokoani ei ollut hyllyssä eikä varastossakaan.",
            "en": "My size wasn't on the shelf or in the stockroom either.",
        },
        {
            "role": "customer",
            "fi": "Se tuote, jota tulin hakemaan, oli myyty loppuun.",
            "en": "The product I came for was sold out.",
        },
        {
            "role": "customer",
            "fi": "Hylly ammotti tyhjyyttään juuri siltä kohtaa, mistä olisin tarvinnut tavaraa.",
            "en": "The shelf was gaping empty right where the thing I needed should have been.",
        },
        {
            "role": "customer",
            "fi": "Sanoivat, että tuote on jälkitoimituksessa, eikä kukaan tiennyt, milloin sitä taas saadaan.",
            "en": "They said the item was on back order and nobody knew when it would be back in.",
        },
        {
            "role": "customer",
            "fi": "Nettisivun mukaan tuotetta piti olla myymälässä, mutta yhtään kappaletta ei ollut.",
            "en": "According to the website the shop should have had it, but there wasn't a single one.",
        },
        {
            "role": "customer",
            "fi": "Suosittuja kokoja ei tunnu ikinä olevan.",
            "en": "The popular sizes never seem to be in stock.",
        },
    ],
    ("hygiene_availability", "positive"): [
        {
            "role": "customer",
            "fi": "Löysin oikean koon hyllystä saman tien.",
            "en": "I found the right size on the shelf straight away.",
        },
        {
            "role": "customer",
            "fi": "Kaikki ostoslistan tuotteet löytyivät, mitään ei puuttunut.",
            "en": "Everything on my shopping list was there; nothing was missing.",
        },
        {
            "role": "customer",
            "fi": "Valikoima oli kattava, ja jokaista väriä oli varastossa.",
            "en": "The range was comprehensive and every colour was in stock.",
        },
        {
            "role": "customer",
            "fi": "Harvinaisempaakin varaosaa oli varastossa.",
            "en": "Even a fairly rare spare part was in stock.",
        },
        {
            "role": "customer",
            "fi": "Hyllyt olivat täynnä, ei yhtään tyhjää kohtaa.",
            "en": "The shelves were fully stocked, not a single gap.",
        },
        {
            "role": "customer",
            "fi": "Ei tarvinnut jättää tilausta, tuote oli saatavilla heti.",
            "en": "I didn't need to place an order; the product was available right away.",
        },
    ],
    ("hygiene_reachability", "negative"): [
        {
            "role": "customer",
            "fi": "Soitin asiakaspalveluun kolme kertaa, eikä kukaan vastannut.",
            "en": "I called customer service three times and nobody answered.",
        },
        {
            "role": "customer",
            "fi": "Linjalla sai jonottaa yli puoli tuntia.",
            "en": "You had to wait on the line for over half an hour.",
        },
        {
            "role": "customer",
            "fi": "Lähetin sähköpostia, mutta vastausta ei tullut koskaan.",
            "en": "I sent an email but never got a reply.",
        },
        {
            "role": "customer",
            "fi": "Chatissa luki vain, että kaikki asiakaspalvelijat ovat varattuina.",
            "en": "The chat just said that all agents were busy.",
        },
        {
            "role": "customer",
            "fi": "Toisella soittokerralla puhelu katkesi, kun olin jonottanut kaksikymmentä minuuttia.",
            "en": "The second time I called, the line cut off after I'd been holding for twenty minutes.",
        },
        {
            "role": "customer",
            "fi": "Yhteystietoja ei löytynyt mistään, ihan kuin he eivät haluaisi, että heihin otetaan yhteyttä.",
            "en": "There was no contact information anywhere, as if they didn't want to be contacted.",
        },
    ],
    ("hygiene_reachability", "positive"): [
        {
            "role": "customer",
            "fi": "Puhelimeen vastattiin heti ensimmäisellä soitolla.",
            "en": "The phone was answered on the very first ring.",
        },
        {
            "role": "customer",
            "fi": "Sähköpostiin tuli vastaus parissa tunnissa.",
            "en": "I got a reply to my email within a couple of hours.",
        },
        {
            "role": "customer",
            "fi": "Pääsin chatissa juttelemaan ihmisen kanssa melkein saman tien.",
            "en": "I got through to a person on the chat almost immediately.",
        },
        {
            "role": "customer",
            "fi": "Ei tarvinnut jonottaa linjalla ollenkaan.",
            "en": "I didn't have to hold on the line at all.",
        },
        {
            "role": "customer",
            "fi": "Heidät sai kiinni ongelmitta myös iltaisin.",
            "en": "You could get hold of them without trouble in the evenings too.",
        },
        {
            "role": "customer",
            "fi": "Jätin soittopyynnön, ja minulle soitettiin takaisin jo samana päivänä.",
            "en": "I left a callback request and they rang me back the same day.",
        },
    ],
    ("wow", "positive"): [
        {
            "role": "customer",
            "fi": (
                "Myyjä oli muistanut edelliseltä käynniltä, että tyttärelläni oli tulossa "
                "syntymäpäivät, ja paketoi lahjan rusetilla pyytämättä."
            ),
            "en": (
                "The salesperson remembered from my last visit that my daughter had a birthday "
                "coming up, and gift-wrapped it with a bow without being asked."
            ),
        },
        {
            "role": "customer",
            "fi": "Ostoskassin pohjalta löytyi pieni käsin kirjoitettu kortti, ihan yllätyksenä.",
            "en": "At the bottom of the bag I found a little handwritten card, a complete surprise.",
        },
        {
            "role": "customer",
            "fi": "Työntekijä kantoi raskaat ostokseni autolle asti, vaikka satoi kaatamalla.",
            "en": "An employee carried my heavy shopping all the way to the car even though it was pouring.",
        },
        {
            "role": "customer",
            "fi": "He korjasivat vanhan laukkuni rikkinäisen vetoketjun siinä samalla, ihan pyytämättä.",
            "en": "They fixed the broken zip on my old bag there and then, completely unprompted.",
        },
        {
            "role": "customer",
            "fi": "Seuraavalla kerralla myyjä muisti kysyä, miten uusi tuoli on toiminut, ja se oli ihana ele.",
            "en": (
                "Next time I came in, the salesperson remembered to ask how the new "
                "chair was working out, which was such a lovely touch."
            ),
        },
        {
            "role": "customer",
            "fi": "Lapsi sai lähtiessä oman pienen ilmapallon ja tarran, ja koko perhe puhuu siitä vieläkin.",
            "en": (
                "My kid got their own little balloon and a sticker on the way "
                "out, and the whole family still talks about it."
            ),
        },
    ],
    ("price_value", "negative"): [
        {
            "role": "customer",
            "fi": "Hinta oli ihan kohtuuton siihen nähden, mitä sai.",
            "en": "The price was totally unreasonable for what you got.",
        },
        {
            "role": "customer",
            "fi": "Sama tuote maksoi toisessa liikkeessä melkein puolet vähemmän.",
            "en": "The same product cost almost half as much in another shop.",
        },
        {
            "role": "customer",
            "fi": "Tarjous ei ollut oikeasti mikään tarjous, normaalihinta oli vain paisuteltu.",
            "en": "The offer wasn't really an offer at all; the normal price had just been inflated.",
        },
        {
            "role": "customer",
            "fi": "Liian kallista minun makuuni, en saanut rahoilleni vastinetta.",
            "en": "Too pricey for my taste; I didn't get my money's worth.",
        },
        {
            "role": "customer",
            "fi": "Kolmekymmentä euroa muovisesta pikkuesineestä on ihan ryöstöä.",
            "en": "Thirty euros for a little plastic knick-knack is daylight robbery.",
        },
        {
            "role": "customer",
            "fi": "Hinnat ovat nousseet niin, ettei tänne enää kannata tulla.",
            "en": "Prices have gone up so much that it's no longer worth coming here.",
        },
    ],
    ("price_value", "positive"): [
        {
            "role": "customer",
            "fi": "Hinta-laatusuhde oli todella hyvä.",
            "en": "The value for money was really good.",
        },
        {
            "role": "customer",
            "fi": "Halvemmalla en löytänyt mistään, vaikka vertailin useampaa paikkaa.",
            "en": "I couldn't find it cheaper anywhere, even though I compared several places.",
        },
        {
            "role": "customer",
            "fi": "Tarjouksessa sain kaksi yhden hinnalla, mikä oli aika hyvä diili.",
            "en": "On the offer I got two for the price of one, which was a pretty good deal.",
        },
        {
            "role": "customer",
            "fi": "Ei ollut yhtään liian kallis siihen nähden, mitä sain.",
            "en": "It wasn't too expensive at all for what I got.",
        },
        {
            "role": "customer",
            "fi": "Rahalle sai täyden vastineen.",
            "en": "I got full value for my money.",
        },
        {
            "role": "customer",
            "fi": "Hinnat ovat reilut verrattuna muihin saman alan liikkeisiin.",
            "en": "The prices are fair compared with other shops in the same line of business.",
        },
    ],
    ("delivery_reliability", "negative"): [
        {
            "role": "customer",
            "fi": "Joka ikinen tilaus on tullut myöhässä, vaikka päivämäärä luvataan aina.",
            "en": "Every single order has come late, even though they always give a date.",
        },
        {
            "role": "customer",
            "fi": "En voi enää luottaa heidän toimitusaikoihinsa, ne pettävät kerta toisensa jälkeen.",
            "en": "I can't trust their delivery times anymore; they fall through time after time.",
        },
        {
            "role": "customer",
            "fi": "Jo kolmas kerta peräkkäin, kun luvattu toimituspäivä ei pitänyt.",
            "en": "That's the third time in a row the promised delivery day wasn't kept.",
        },
        {
            "role": "customer",
            "fi": "Nykyään tilaan varmuuden vuoksi viikkoa aiemmin, koska toimitukset venyvät aina.",
            "en": "These days I order a week early just in case, because deliveries always drag on.",
        },
        {
            "role": "customer",
            "fi": "Toimitusaikoihin ei ole mitään luottamista, se on ihan arpapeliä.",
            "en": "There's no relying on their delivery times; it's a complete lottery.",
        },
        {
            "role": "customer",
            "fi": "Myöhästelyä on ollut niin usein, etten enää edes yllättynyt.",
            "en": "They've been late so often that I wasn't even surprised anymore.",
        },
    ],
    ("delivery_reliability", "positive"): [
        {
            "role": "customer",
            "fi": "Olen tilannut heiltä kymmeniä kertoja, ja aina on tullut luvattuna päivänä.",
            "en": "I've ordered from them dozens of times and it's always come on the promised day.",
        },
        {
            "role": "customer",
            "fi": "Heidän toimitusaikoihinsa voi luottaa sataprosenttisesti.",
            "en": "You can rely on their delivery times a hundred percent.",
        },
        {
            "role": "customer",
            "fi": "Ei ole kertaakaan käynyt niin, että toimitus olisi myöhästynyt.",
            "en": "Not once has a delivery been late.",
        },
        {
            "role": "customer",
            "fi": "Toimitukset tulevat kerta toisensa jälkeen täsmälleen aikataulussa.",
            "en": "Time after time the deliveries arrive right on schedule.",
        },
        {
            "role": "customer",
            "fi": "Tiedän, että kun he sanovat torstai, se on torstai.",
            "en": "I know that when they say Thursday, it's Thursday.",
        },
        {
            "role": "customer",
            "fi": "Toimitusvarmuus on ollut vuosia niin hyvä, etten enää edes mieti sitä.",
            "en": "Their delivery reliability has been so good for years that I don't even think about it anymore.",
        },
    ],
}
