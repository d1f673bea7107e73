/**
 * Original webcare traffic for the fictional parcel company Polderpost.
 * Templates hold slots in braces; generator.ts fills them. `{@}` is the brand
 * as the channel writes it (@polderpost on X, Polderpost elsewhere).
 */
export type Lang = 'nl' | 'en';
export type Topic = 'track' | 'window' | 'damaged' | 'address' | 'pickup' | 'complaint' | 'angry' | 'praise' | 'returns' | 'customs' | 'noise';

export const TOPIC_WEIGHTS: readonly (readonly [Topic, number])[] = [
  ['track', 24],
  ['window', 9],
  ['damaged', 8],
  ['address', 6],
  ['pickup', 8],
  ['complaint', 10],
  ['angry', 6],
  ['praise', 10],
  ['returns', 4],
  ['customs', 3],
  ['noise', 12],
];

type Table = Record<Lang, Record<Topic, readonly string[]>>;

/** Public posts on X: short, a bit blunt, sometimes with hashtags or a link. */
export const X_TEXT: Table = {
  nl: {
    track: [
      '{@} waar blijft mijn pakket? Track & trace {code} staat al {days} op "{status}" {emoNeg}',
      'Hoi {@}, mijn pakket ({code}) zou {day} komen maar ik zie niks. Kunnen jullie even kijken?',
      '{@} al {days} "wordt vandaag bezorgd" en dan toch weer niet. {code}. Wat is er aan de hand?',
      'Is er vertraging in {city}, {@}? Mijn zending {code} staat sinds {day} stil in sorteercentrum {hub}.',
      'Track & trace zegt "bezorgd" maar er ligt hier niks. Ook niet bij de buren. {code} {@} {emoNeg}',
      '{@} mijn pakketje is volgens de app "onderweg" sinds {day}. Hoe lang duurt onderweg eigenlijk? 😅',
      'Goedemorgen {@}! Kunnen jullie zien waar {code} is? De webshop zegt dat ik bij jullie moet zijn.',
      '{@} Vraagje: track & trace link {link} doet het niet, krijg alleen een foutmelding. Pakket {code}',
    ],
    window: [
      '{@} kan ik zien hoe laat de bezorger ongeveer komt? Tijdvak zegt {window} maar ik moet om {time} weg.',
      'Waarom is het tijdvak ineens {window}?? Had speciaal vrij genomen {@} {emoNeg}',
      '{@} wordt er ook op zaterdag bezorgd in {city}? Ben doordeweeks nooit thuis.',
      'Bezorgvenster van 5 uur, serieus {@}? Dat is geen tijdvak, dat is een werkdag.',
      '{@} bezorger stond om {time} voor de deur terwijl het tijdvak {window} was. Ik was nog onderweg {emoNeg}',
    ],
    damaged: [
      'Pakket kwam net binnen met een flinke deuk en de {item} is kapot {emoNeg} {@} hoe dien ik een claim in? {img}',
      '{@} doos was nat en half open. Wie is er aansprakelijk, jullie of de webshop? {code}',
      'Kijk nou hoe mijn pakket is aangekomen {@} {img} #fail',
      '{@} er zat een voetafdruk op mijn pakket 👟📦 Inhoud lijkt heel, maar toch…',
    ],
    address: [
      '{@} help! Typfout in mijn adres ({street} {num} ipv {num2}). Kan dat nog aangepast worden? {code}',
      'Pakket is bezorgd op {street} {num} in {city2} in plaats van {city}?? {@} {emoNeg}',
      '{@} kan ik mijn pakket laten omleiden naar mijn werkadres? Zending {code}',
    ],
    pickup: [
      '{@} mijn pakket ligt bij {pickup} maar die is tot {day} dicht. Kan het naar een ander afhaalpunt?',
      'Hoe lang blijft een pakket bij het Polderpunt liggen {@}? Ben pas {day} terug.',
      '{@} Waarom wordt mijn pakket naar {pickup} gebracht terwijl ik gewoon thuis was?',
      'Afhaalpunt {pickup} zegt dat mijn pakket er niet is, jullie app zegt van wel. Wie heeft gelijk {@}? {code}',
    ],
    complaint: [
      '{@} derde keer deze week een briefje "niet thuis" terwijl ik gewoon thuis zat. Bel gewoon aan!',
      'Wat een service {@}. 45 minuten in de wacht en daarna opgehangen. {emoNeg}',
      '{@} jullie bezorger rijdt elke dag over de stoep bij ons in {city}. Kinderen spelen hier.',
      'Dit is echt de laatste keer dat ik bestel bij een webshop die met {@} verstuurt. {days} vertraging zonder uitleg.',
      '{@} Pakket "afgeleverd bij buren" maar niemand van de buren weet ervan. Nr {num}, {num2} en {num3} gevraagd.',
    ],
    angry: [
      'ALWEER NIET BEZORGD!!! {@} wat is er mis met jullie?!?! {code} {emoNeg}',
      '{@} DIT SLAAT NERGENS OP!!! Pakket met MEDICIJNEN ligt al {days} stil!!!',
      'Bezorger gooit mijn pakket gewoon over het hek. In de REGEN. {@} #fail #polderpost {emoNeg}',
      'Ik ben er KLAAR mee {@}. Geld terug en nooit meer. {emoNeg}{emoNeg}',
    ],
    praise: [
      'Top service {@}, bezorger was super vriendelijk 👍',
      'Shoutout naar de bezorger in {city} die mijn pakket droog onder het afdak legde in de stromende regen ☔🙏 {@}',
      'Binnen 1 dag bezorgd, netjes in het tijdvak. Zo kan het dus ook {@} {emoPos}',
      '{@} dank voor het snelle antwoord gisteren, pakket is er! {emoPos}',
      'Bezorger van {@} hielp mijn oma met het pakket naar binnen dragen. Dat zie je niet vaak ❤️',
    ],
    returns: [
      '{@} hoe werkt retourneren als ik geen printer heb? Kan het label ook op mijn telefoon?',
      '{@} retour {code} is al 2 weken geleden ingeleverd bij {pickup} maar de webshop heeft niks ontvangen.',
    ],
    customs: [
      '{@} waarom moet ik €{fee} inklaringskosten betalen voor een verjaardagscadeau uit Engeland?',
      'Pakket uit de VS hangt al {days} bij de douane volgens {@}. Is dat normaal?',
    ],
    noise: [
      '$PLDR weer +{pct}% vandaag 🚀 wie zit er nog meer in? {@}',
      'Iemand de kwartaalcijfers van {@} al gezien? Omzet omhoog, marge omlaag. $PLDR',
      'Die reclame van {@} met die zingende bezorger zit de hele dag in mijn hoofd 😂',
      'Net een {@} busje drie rondjes om de rotonde in {city} zien rijden lol',
      'ik: bestelt iets om 23:59\n{@} om 07:00: 🚚💨',
      'Wie gaat er vanavond naar de wedstrijd? {@} busje stond weer voor de deur haha #zaterdag',
      'Gezocht: bijbaantje. Iemand ervaring met pakketbezorger bij {@}? Verdient dat een beetje?',
    ],
  },
  en: {
    track: [
      '{@} where is my parcel? Tracking {code} has said "{status}" for {days} {emoNeg}',
      'Hi {@}, my parcel {code} was due {day} but nothing yet. Could you check please?',
      '{@} parcel {code} has been "out for delivery" since {day}. How long does that take? 😅',
      'Morning {@}! Can you see where {code} is? The shop says I need to ask you.',
      'Ordered from the UK, parcel now with {@}. {code} Any idea when it gets to {city}?',
      '{@} tracking says delivered, nothing at my door or with the neighbours. {code}',
    ],
    window: [
      '{@} is there any way to see when the driver will arrive? Window says {window} and I need to leave at {time}.',
      '{@} do you deliver on Saturdays in {city}? I am never home on weekdays.',
    ],
    damaged: [
      'Damaged box, item broken {emoNeg} How do I file a claim {@}? {img}',
      '{@} my parcel arrived soaking wet. Who do I contact, you or the shop? {code}',
    ],
    address: [
      '{@} I made a typo in my address ({street} {num} instead of {num2}). Can you still change it? {code}',
      '{@} can I redirect my parcel to my office? {code}',
    ],
    pickup: [
      '{@} my parcel is at {pickup} but they are closed until {day}. Can it go to another pickup point?',
      'How long does a parcel stay at a pickup point, {@}? Away until {day}.',
    ],
    complaint: [
      '{@} third "not home" note this week while I was home all day. Just ring the bell!',
      'Waited 45 minutes on hold with {@} and then got cut off. Great. {emoNeg}',
      '{@} driver left my parcel in the bin 🙃 thanks',
    ],
    angry: [
      'THIS IS RIDICULOUS {@}!!! Parcel missing for {days} and NOBODY answers!!! {code}',
      '{@} WORST. DELIVERY. EVER. {emoNeg}',
    ],
    praise: [
      'Great service from your driver today {@}, really friendly 👍',
      'Shoutout to the {@} driver in {city} who carried my parcel up three flights of stairs 🙏',
      'Parcel arrived a day early, thank you {@}! {emoPos}',
      '{@} thanks for sorting out my missing parcel so quickly yesterday {emoPos}',
    ],
    returns: ['{@} how do returns work if I do not have a printer? Can I show the label on my phone?'],
    customs: ['{@} why do I have to pay €{fee} customs fees on a birthday gift??', '{@} parcel from the US stuck in customs for {days}. Normal?'],
    noise: [
      '$PLDR up {pct}% today, anyone else holding? {@}',
      'That {@} ad with the singing delivery guy is stuck in my head 😂',
      'me: orders at 23:59\n{@} at 07:00: 🚚💨',
    ],
  },
};

/** Direct messages (X DM and Messenger): more personal, with details people would not post publicly. */
export const PRIVATE_TEXT: Table = {
  nl: {
    track: [
      'Hoi, mijn pakket {code} staat al {days} stil. Postcode {postcode}, huisnummer {num}. Kunnen jullie kijken wat er aan de hand is?',
      'Hallo Polderpost, volgens de app is {code} bezorgd maar ik heb niks ontvangen. Ik woon op {street} {num} in {city}.',
      'Goedenavond, mijn zending {code} zou {day} komen. Nu staat er "{status}". Wat betekent dat precies?',
      'Hoi! Ik verwacht een pakket uit Duitsland, code {code}. Kan ik al zien wanneer het komt? Postcode {postcode}',
      'Goedemiddag, ik wacht op een pakket met {item}. Track & trace: {code}. Volgens de webshop is het {day} verstuurd.',
      'Hallo, ik heb geen track & trace gekregen. Bestelnummer bij de webshop is {order}. Kunnen jullie zoeken op mijn postcode {postcode}?',
    ],
    window: [
      'Hoi! Kan mijn pakket {code} morgen {window} bezorgd worden? Ik ben er vandaag niet.',
      'Kan de bezorger bellen als hij er is? Mijn bel is kapot. 06-{phone}',
      'Is het mogelijk om een pakket in de avond te laten bezorgen? Ik werk overdag in {city2}.',
    ],
    damaged: [
      'Hoi, mijn pakket {code} was beschadigd, de {item} is kapot. Foto: {img} Wat moet ik nu doen?',
      'De doos was helemaal ingedeukt en de {item} werkt niet meer. Moet ik bij de webshop of bij jullie een claim indienen?',
    ],
    address: ['Ik heb het verkeerde huisnummer ingevuld, het moet {num} zijn in plaats van {num2}. Postcode {postcode}. Zending {code}'],
    pickup: [
      'Mijn pakket {code} ligt bij {pickup}, maar ik heb mijn legitimatie niet bij me en ben er morgen pas. Blijft het liggen?',
      'Mag mijn buurvrouw mijn pakket ophalen bij {pickup}? Ik lig in het ziekenhuis. Code {code}',
    ],
    complaint: [
      'Ik heb al drie keer gebeld maar niemand kan me helpen. Pakket {code}, postcode {postcode}. Graag een echte oplossing.',
      'De bezorger heeft mijn pakket bij nummer {num2} afgegeven zonder briefje. Ik kwam er pas na {days} achter.',
    ],
    angry: ['Dit is nu de VIERDE keer dat ik contact opneem. Ik wil mijn pakket of mijn geld. {code}!!!'],
    praise: ['Wilde even laten weten dat de bezorger vandaag echt super aardig was. Geef het door! 😊'],
    returns: ['Hoi, ik wil iets retourneren maar heb geen printer. Kan ik het label laten zien op mijn telefoon bij {pickup}?'],
    customs: ['Waarom moet ik €{fee} betalen voor een pakket uit het Verenigd Koninkrijk? Zending {code}'],
    noise: ['Hoi, zoeken jullie nog bezorgers in {city}? Ik heb een rijbewijs B en ben flexibel.', 'Hallo, ik zag een vacature voor sorteerder in {hub}. Waar kan ik solliciteren?'],
  },
  en: {
    track: [
      'Hi, here is my tracking number {code} and postcode {postcode}. Could you redeliver tomorrow?',
      'Hello, my parcel {code} has not moved for {days}. Can you help?',
      'Hi there, the app says {code} was delivered but nothing arrived. I live at {street} {num}, {city}.',
      'Good evening, what does "{status}" mean for parcel {code}? It was due {day}.',
    ],
    window: ['Hi! Can parcel {code} be delivered tomorrow {window}? Not home today.'],
    damaged: ['Hi, my parcel {code} arrived damaged, the {item} is broken. Photo: {img}'],
    address: ['I entered the wrong house number, it should be {num} not {num2}. Postcode {postcode}, parcel {code}'],
    pickup: ['My parcel {code} is at {pickup} but I am away until {day}. Will it stay there?'],
    complaint: ['I have called three times and nobody can help. Parcel {code}. Please call me back.', 'Your driver left my parcel with number {num2} without a note. Found out {days} later.'],
    angry: ['This is the FOURTH time I am contacting you. I want my parcel or a refund. {code}!!!'],
    praise: ['Just wanted to say your driver today was lovely. Please pass it on! 😊'],
    returns: ['Hi, how do I return something without a printer? Can I show the label on my phone?'],
    customs: ['Why do I have to pay €{fee} for a parcel from the UK? {code}'],
    noise: ['Hi, are you hiring drivers in {city}? I have a licence and flexible hours.'],
  },
};

/** Comments under the Page's posts: a lighter tone, more people talking to each other. */
export const COMMENT_TEXT: Table = {
  nl: {
    track: [
      'Leuk die winteractie, maar waar blijft mijn pakket? {code} staat al {days} stil {emoNeg}',
      'Ik wacht al sinds {day} op een pakket. Is er vertraging in {city}?',
      'Mijn track & trace zegt al twee dagen "bij sorteercentrum {hub}". Is daar iets mis?',
    ],
    window: ['Komen jullie ook op zondag in {city}? Ik ben doordeweeks nooit thuis', 'Kan het tijdvak niet wat kleiner? {window} is wel heel ruim.'],
    damaged: ['Mijn pakket kwam beschadigd binnen, de {item} is kapot {emoNeg} Hoe krijg ik mijn geld terug?'],
    address: ['Pakket afgeleverd op het verkeerde adres, {street} {num2} in plaats van {num}. Hoe los ik dit op?'],
    pickup: ['Waarom is {pickup} in {city} geen afhaalpunt meer? Nu moet ik helemaal naar de andere kant van de stad.'],
    complaint: ['Mooi verhaal, maar bij ons in {city} komt de bezorger gewoon niet. Al weken niet.', 'Misschien eerst de basis op orde voordat jullie leuke filmpjes maken?'],
    angry: ['SCHANDALIG!!! Al {days} geen pakket en niemand die reageert!!! {emoNeg}', 'Ik heb nog NOOIT zo een slechte service gehad. NOOIT!!!'],
    praise: ['Top service, bezorger was super vriendelijk 👍', 'Onze vaste bezorger in {city} is echt een topper! Altijd vrolijk 😊', 'Pakket binnen een dag, netjes! 👏'],
    returns: ['Kan ik bij jullie ook retourneren voor webshops die met een andere vervoerder werken?'],
    customs: ['Waarom zijn de inklaringskosten zo hoog? €{fee} voor een trui van €30…'],
    noise: ['Haha die bezorger in het filmpje 😂', 'Wie herkent dit? 😂😂', 'Mijn hond blaft elke keer als jullie busje langskomt 🐶', 'Leuk! Tag iemand die altijd pakketjes bestelt 👇'],
  },
  en: {
    track: ['Nice post, but where is my parcel? {code} has not moved for {days}'],
    window: ['Do you deliver on Sundays in {city}?'],
    damaged: ['My parcel arrived damaged, the {item} is broken. How do I get a refund?'],
    address: ['Parcel went to the wrong address ({street} {num2} instead of {num}). What now?'],
    pickup: ['Why did you close the pickup point at {pickup}?'],
    complaint: ['Fix your deliveries before making videos please.'],
    angry: ['ABSOLUTELY USELESS!!! {days} and still nothing!!!'],
    praise: ['Great service, the driver was so friendly 👍'],
    returns: ['Can I return parcels for shops that use another carrier?'],
    customs: ['Customs fees of €{fee} on a €30 jumper, seriously?'],
    noise: ['Haha love this 😂', 'Who else is obsessed with tracking their parcels? 🙋'],
  },
};

/** Paragraphs for the odd long Facebook comment (1,000-3,000 characters). */
export const LONG_PARAGRAPHS: Record<Lang, readonly string[]> = {
  nl: [
    'Ik wil hier toch even mijn verhaal kwijt, want via de telefoon kom ik nergens. Op {day} heb ik bij een webshop een {item} besteld, met de belofte dat het binnen twee werkdagen in huis zou zijn. De track & trace ({code}) zei de eerste dag netjes "aangemeld", daarna "gesorteerd in {hub}" en sindsdien niets meer.',
    'Ik heb de klantenservice inmiddels vier keer gebeld. De eerste keer werd ik na 40 minuten wachten doorverbonden naar een afdeling die niet opnam. De tweede keer kreeg ik te horen dat ik "nog even geduld moest hebben". De derde keer werd er een onderzoek gestart, waar ik vervolgens nooit meer iets van heb gehoord.',
    'Het gaat mij niet eens zozeer om het pakket zelf, maar om de manier waarop er met klanten wordt omgegaan. Niemand neemt verantwoordelijkheid, iedereen verwijst naar een ander. De webshop zegt dat ik bij jullie moet zijn, jullie zeggen dat ik bij de webshop moet zijn.',
    'Vandaag stond er ineens in de app dat het pakket is "afgeleverd bij de buren". Ik heb bij nummer {num2} en {num3} aangebeld, maar niemand weet ergens van. Er is ook geen briefje in de bus gedaan. Volgens mij is het gewoon ergens kwijtgeraakt en wordt dat nu zo afgedaan.',
    'Wat ik graag wil: dat iemand met verstand van zaken contact met mij opneemt, uitzoekt waar mijn pakket is en als het echt kwijt is, dat het netjes vergoed wordt zonder dat ik nog drie formulieren moet invullen. Ik woon in {city}, postcode staat bij jullie bekend.',
    'Ik ben al jaren klant en was altijd tevreden, dus het spijt me dat ik dit zo openbaar moet doen. Maar ik weet echt niet meer wat ik anders moet. Alvast bedankt aan wie dit leest en er iets mee doet.',
    'En dan nog iets: de bezorger die hier in de wijk rijdt is echt heel aardig, dus dit is geen kritiek op hem. Het probleem zit ergens anders in de keten, en daar moet iemand naar kijken.',
  ],
  en: [
    'I really need to share this because I am getting nowhere on the phone. On {day} I ordered a {item} from a web shop that promised delivery within two working days. Tracking ({code}) first said "registered", then "sorted at {hub}", and nothing since.',
    'I have called customer service four times. The first time I waited 40 minutes and was transferred to a department that never picked up. The second time I was told to be patient. The third time they opened an investigation that I never heard about again.',
    'It is not even about the parcel itself, it is about how customers are treated. Nobody takes responsibility; the shop sends me to you and you send me back to the shop.',
    'Today the app suddenly said "delivered to neighbour". I asked at number {num2} and {num3}, nobody knows anything, and there was no card in the letterbox.',
    'What I would like: someone who actually knows the process contacts me, finds my parcel, and if it is really lost, refunds it without three more forms. I live in {city}.',
  ],
};

export const FOLLOW_UP: Record<'x' | 'dm' | 'comment' | 'messenger', Record<Lang, readonly string[]>> = {
  x: {
    nl: [
      '@polderpost nog steeds niks gehoord…',
      '@polderpost Update: pakket is er! Dank voor het meedenken 🙏',
      '@polderpost hallo?? Al {hours} uur geen reactie.',
      '@polderpost aanvulling: het gaat om {code}',
      '@polderpost DM gestuurd!',
      '@polderpost Oké, ik wacht het af. Maar dit is wel de derde keer.',
    ],
    en: ['@polderpost still nothing. Any update?', '@polderpost got it, thanks!', '@polderpost sent you a DM', '@polderpost hello?? {hours} hours and no reply'],
  },
  dm: {
    nl: ['Heb je al iets kunnen vinden?', 'Hier nog een foto van de doos: {img}', 'Top, dank je wel!', 'Sorry, vergeten: huisnummer is {num}', 'Ik ben morgen de hele dag thuis.'],
    en: ['Any news?', 'Thanks a lot!', 'Sorry, forgot: house number is {num}', 'I am home all day tomorrow.'],
  },
  comment: {
    nl: ['Zelfde hier in {city}!!', 'Bij mij ook, al {days}', 'Update: vandaag toch gekomen. Dank!', 'Nog steeds niks… {emoNeg}', 'Heb jullie een PB gestuurd.'],
    en: ['Same here in {city}!!', 'Update: it arrived today. Thanks!', 'Still nothing…', 'Sent you a PM.'],
  },
  messenger: {
    nl: ['Ben je er nog?', 'Oké, dan wacht ik af.', 'Mijn huisnummer is {num}, sorry vergeten', 'Dank je, fijn weekend!', '??'],
    en: ['Are you still there?', 'OK, I will wait.', 'Thanks, have a nice weekend!', '??'],
  },
};

/** What the webcare team had already answered before the console was started (history only). */
export const BRAND_REPLY: Record<'x' | 'dm' | 'comment' | 'messenger', Record<Lang, { help: readonly string[]; thanks: readonly string[] }>> = {
  x: {
    nl: {
      help: [
        'Vervelend dat je pakket nog niet binnen is! Stuur je ons een DM met je track & trace en postcode? Dan zoeken we het uit. ^{sig}',
        'Wat balen! Stuur je ons een DM met een foto en je track & trace code? Dan starten we een claim. ^{sig}',
        'Excuses voor het wachten. We kijken het direct na, stuur je ons je zendingnummer via DM? ^{sig}',
      ],
      thanks: ['Dank je wel! We geven het compliment door aan de bezorger 😊 ^{sig}'],
    },
    en: {
      help: ['Sorry your parcel has not arrived yet! Could you DM us your tracking number and postcode? ^{sig}'],
      thanks: ['Thank you! We will pass it on to the driver 😊 ^{sig}'],
    },
  },
  dm: {
    nl: {
      help: [
        'Dank je voor je bericht! Ik zie dat je pakket morgen {window} opnieuw wordt aangeboden. Groet, {agent}',
        'Ik heb een onderzoek gestart. Je hoort binnen 2 werkdagen van ons. Groet, {agent}',
        'Het adres is aangepast, de bezorging schuift één dag op. Groet, {agent}',
      ],
      thanks: ['Wat leuk om te horen, dank je! We geven het door. Groet, {agent}'],
    },
    en: {
      help: ['Thanks for your message! Your parcel will be offered again tomorrow {window}. Kind regards, {agent}'],
      thanks: ['Lovely to hear, thank you! We will pass it on. {agent}'],
    },
  },
  comment: {
    nl: {
      help: ['Hoi {first}, wat vervelend! Stuur je ons een privébericht met je track & trace code? Groet, {agent}'],
      thanks: ['Dank je wel {first}, leuk om te horen! 😊 Groet, {agent}'],
    },
    en: {
      help: ['Hi {first}, sorry to hear that! Could you send us a private message with your tracking code? {agent}'],
      thanks: ['Thank you {first}, great to hear! {agent}'],
    },
  },
  messenger: {
    nl: {
      help: ['Hoi {first}, dank voor je bericht! Ik ga het voor je uitzoeken. Groet, {agent}', 'Je pakket ligt klaar bij het afhaalpunt en blijft daar 7 dagen. Groet, {agent}'],
      thanks: ['Hoi {first}, wat fijn om te horen! Groet, {agent}'],
    },
    en: {
      help: ['Hi {first}, thanks for your message! I will look into it. {agent}'],
      thanks: ['Hi {first}, lovely to hear! {agent}'],
    },
  },
};

/** The brand's own posts: announcements on X, Page posts on Facebook. */
export const BRAND_X_POSTS: readonly string[] = [
  'Door de storm kan je pakket in Noord-Nederland vandaag later komen. Excuses voor het ongemak! Volg je zending via polderpost.nl/volgen',
  'Nieuw: kies zelf je bezorgmoment in de app, ook in de avond tussen 18:00 en 22:00 📦',
  'Tip: je kan je pakket nu ook laten bezorgen bij een Polderpunt in de buurt. Meer dan 4.000 locaties!',
  'Goedemorgen! Onze webcare is vandaag bereikbaar tot 22:00. Stel je vraag hier of via DM.',
];

export const BRAND_FB_POSTS: readonly string[] = [
  'De feestdagen komen eraan! 🎄 Bestel op tijd: pakketjes die je vóór 20 december verstuurt, zijn voor kerst in huis.',
  'Maak kennis met Ahmed, al 12 jaar bezorger in Groningen 🚚 "Het mooiste aan mijn werk? De kinderen die zwaaien als ik de straat in rij."',
  'Nieuw in de app: kies zelf je bezorgmoment, ook in de avond. Update de app en probeer het uit!',
  'Let op: door de storm kunnen pakketjes in Friesland en Groningen vandaag later komen. Onze excuses!',
  'Onze winteractie is begonnen ❄️ Verstuur je pakket via een Polderpunt en krijg 15% korting met code WINTER15.',
];

export const FIRST_NAMES: Record<Lang, readonly string[]> = {
  nl: [
    'Sanne', 'Daan', 'Fleur', 'Bram', 'Lotte', 'Joris', 'Anouk', 'Thijs', 'Eva', 'Sem', 'Noor', 'Ruben', 'Femke', 'Jasper', 'Ilse', 'Koen',
    'Marloes', 'Wouter', 'Esther', 'Niels', 'Yara', 'Mohamed', 'Fatima', 'Emre', 'Ayşe', 'Priya', 'Lieke', 'Jeroen', 'Inge', 'Maarten', 'Kim',
    'Pieter', 'Henk', 'Gerda', 'Mieke', 'Sven', 'Lars', 'Tess', 'Julia', 'Luuk', 'Milan', 'Zoë', 'Noah', 'Sophie', 'Finn', 'Isa', 'Levi', 'Anna',
    'Bas', 'Roos', 'Stijn', 'Hanneke', 'Willem', 'Ingrid', 'Kees', 'Annelies', 'Rachid', 'Soufiane', 'Nadia', 'Dewi', 'Wendy', 'Patrick',
    'Marco', 'Chantal', 'Bianca', 'Ricardo', 'Joyce', 'Kevin', 'Demi', 'Ömer', 'Mehmet', 'Samira', 'Ilias', 'Romy', 'Jesse', 'Naomi', 'Tim',
  ],
  en: [
    'Emma', 'James', 'Olivia', 'Liam', 'Charlotte', 'Oliver', 'Amelia', 'Harry', 'Grace', 'Jack', 'Chloe', 'Thomas', 'Hannah', 'Daniel', 'Sarah',
    'Michael', 'Aisha', 'Raj', 'Mei', 'Lukas', 'Marta', 'Pierre', 'Giulia', 'Jonas', 'Katarzyna',
  ],
};

export const LAST_NAMES: Record<Lang, readonly string[]> = {
  nl: [
    'de Vries', 'Jansen', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks',
    'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf', 'van der Meer', 'van den Berg', 'Kok', 'Jacobs', 'Vermeulen',
    'van der Linden', 'Willems', 'Postma', 'Koster', 'el Amrani', 'Yılmaz', 'Bouzid', 'Kaya', 'Pinas', 'Tjon', 'Nguyen', 'Wijaya', 'Haddou',
    'Öztürk', 'de Jong', 'van Beek', 'Schouten', 'Kuipers', 'Veenstra', 'Hoekstra',
  ],
  en: ['Clarke', "O'Neill", 'Smith', 'Taylor', 'Brown', 'Wilson', 'Evans', 'Walsh', 'Murphy', 'Patel', 'Khan', 'Chen', 'Schmidt', 'Müller', 'Rossi', 'Kowalska', 'Dubois', 'García', 'Andersen'],
};

export const BIOS: Record<Lang, readonly string[]> = {
  nl: [
    'Moeder van 2 | koffie ☕ | {city}', 'Fietser, foodie, altijd onderweg', 'Eigenaar van een kleine webshop in {city}', 'Student in {city} 📚',
    'Gepensioneerd en eindelijk tijd voor de tuin 🌷', 'Voetbal, bier en BBQ', 'Zorgmedewerker | nachtdiensten | {city}', 'Meningen zijn van mijzelf',
    'ICT’er met een zwak voor vintage lampen', 'Hardlopen 🏃‍♀️ en lezen', '', '',
  ],
  en: ['Expat in {city} 🇳🇱', 'Coffee, code, cats', 'Small business owner', 'Views my own', ''],
};

export const NOISE_ACCOUNTS: readonly { name: string; username: string; bio: string }[] = [
  { name: 'Beursbengel', username: 'beursbengel', bio: 'Beleggen is een marathon 📈 | $PLDR $ASML | geen advies' },
  { name: 'PolderTrader 🚀', username: 'poldertrader88', bio: 'Daytrader. To the moon. Geen financieel advies.' },
  { name: 'Aandelen Anna', username: 'aandelen_anna', bio: 'Dividend & lange termijn 💶' },
  { name: 'MemeMachine NL', username: 'mememachine_nl', bio: 'Memes over alles wat Nederlands is 🇳🇱' },
  { name: 'Koersgoeroe', username: 'koersgoeroe', bio: 'Grafiekjes en meningen' },
  { name: 'Dagelijkse Meme', username: 'dagelijksememe', bio: 'Elke dag een meme. Soms twee.' },
];

export const INFLUENCERS: readonly { name: string; username: string; bio: string; lang: Lang }[] = [
  { name: 'Lifestyle met Lisa', username: 'lisalifestyle', bio: 'Mama, blogger, koffieliefhebber ☕ | samenwerkingen: via de link', lang: 'nl' },
  { name: 'Tech met Thomas', username: 'techthomas', bio: 'Gadgets, reviews en unboxings 📦 | 245K volgers houden me scherp', lang: 'nl' },
  { name: 'Mama van Drie', username: 'mamavandrie', bio: 'Drie kinderen, één hond, nul rust 😅', lang: 'nl' },
];

export const CITIES: readonly string[] = [
  'Utrecht', 'Zwolle', 'Groningen', 'Amsterdam', 'Rotterdam', 'Den Haag', 'Eindhoven', 'Tilburg', 'Almere', 'Breda', 'Nijmegen', 'Apeldoorn', 'Haarlem',
  'Arnhem', 'Enschede', 'Amersfoort', 'Leeuwarden', 'Maastricht', 'Dordrecht', 'Zoetermeer', 'Delft', 'Deventer', 'Alkmaar', 'Hilversum', 'Assen',
  'Emmen', 'Middelburg', "'s-Hertogenbosch", 'Den Helder', 'Lelystad',
];
export const STREETS: readonly string[] = [
  'Kerkstraat', 'Dorpsstraat', 'Molenweg', 'Stationsweg', 'Schoolstraat', 'Julianastraat', 'Wilhelminalaan', 'Beatrixstraat', 'Lindelaan', 'Eikenlaan',
  'Parallelweg', 'Nieuwstraat', 'Oranjestraat', 'Kastanjelaan', 'Prinses Irenestraat', 'Vondellaan',
];
export const HUBS: readonly string[] = ['Nieuwegein', 'Zwolle-Hessenpoort', 'Waalwijk', 'Roosendaal', 'Hoofddorp', 'Veghel'];
export const PICKUPS: Record<Lang, readonly string[]> = {
  nl: ['de Primera op het plein', 'de Bruna in het winkelcentrum', 'het Polderpunt in de AH', 'de tabakszaak op de hoek', 'het afhaalpunt bij de Jumbo', 'de Gamma'],
  en: ['the Primera on the square', 'the Bruna in the mall', 'the Polderpunt in the supermarket', 'the corner shop'],
};
export const ITEMS: Record<Lang, readonly string[]> = {
  nl: ['laptop', 'verjaardagscadeau voor mijn dochter', 'nieuwe schoenen', 'medicijnen', 'babyfoon', 'koffiezetapparaat', 'telefoon', 'fietsonderdelen', 'boeken', 'kinderwagen', 'vintage lamp', 'trouwjurk'],
  en: ['laptop', 'birthday present', 'new shoes', 'medication', 'baby monitor', 'coffee machine', 'phone', 'bike parts', 'books'],
};
export const STATUSES: Record<Lang, readonly string[]> = {
  nl: ['Onderweg', 'Gesorteerd', 'Aangemeld, nog niet ontvangen', 'Bezorging mislukt', 'Bij sorteercentrum'],
  en: ['in transit', 'sorted', 'registered, not yet received', 'delivery attempted'],
};
export const DAYS: Record<Lang, readonly string[]> = {
  nl: ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'gisteren', 'vorige week'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'yesterday', 'last week'],
};
export const DURATIONS: Record<Lang, readonly string[]> = {
  nl: ['3 dagen', '4 dagen', 'een week', '5 dagen', 'twee weken', '2 dagen'],
  en: ['3 days', 'a week', '5 days', 'two weeks'],
};
export const WINDOWS: Record<Lang, readonly string[]> = {
  nl: ['tussen 14:00 en 16:30', '13:15 - 15:45', 'tussen 09:00 en 14:00', '17:00 - 21:00', 'tussen 10:00 en 13:00'],
  en: ['between 2 and 4:30 pm', 'between 9 am and 2 pm', '5-9 pm'],
};
export const NEG_EMOJI: readonly string[] = ['😡', '🙄', '😤', '🤬', '😭', '🫠', '😩', '👎'];
export const POS_EMOJI: readonly string[] = ['👍', '🙏', '😊', '❤️', '👏', '📦✨', '🥳', '👋🏽'];
export const HASHTAGS: readonly string[] = ['#polderpost', '#fail', '#pakketje', '#klantenservice', '#bezorging', '#dankjewel'];
export const AGENTS: readonly { name: string; sig: string }[] = [
  { name: 'Sanne', sig: 'SB' },
  { name: 'Mo', sig: 'MK' },
  { name: 'Joost', sig: 'JV' },
  { name: 'Lisa', sig: 'LH' },
  { name: 'Fenna', sig: 'FD' },
  { name: 'Rik', sig: 'RW' },
];
