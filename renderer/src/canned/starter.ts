import type { CannedReply } from '../../../shared/canned.js';

/**
 * The library a new team starts with, modelled on how Dutch webcare teams (AFAS
 * Software, the Chamber of Commerce) work: complaints go to the official
 * complaints procedure, repeated questions become a proposed phone call with a
 * specialist, details are asked for privately, thanks, and "we are looking into
 * it". In Dutch and English, each with a short X variant, a lighter Facebook one
 * and a formal one. This is the team's data, editable like any reply.
 */
type Starter = Omit<CannedReply, 'usage' | 'updatedAt'>;

export const STARTER_SET: readonly Starter[] = [
  {
    id: 'starter-complaint-nl',
    title: 'Klacht → klachtenprocedure',
    shortcut: 'klacht',
    category: 'Klacht',
    language: 'nl',
    body: 'Hoi {{customer.name|daar}}, wat vervelend dat het zo is gelopen. We nemen je klacht serieus. Dien hem in via onze officiële klachtenprocedure op polderpost.nl/klacht, dan krijg je binnen 5 werkdagen antwoord.',
    variants: {
      x: 'Hoi {{customer.name|daar}}, wat vervelend! Dien je klacht in via polderpost.nl/klacht, dan krijg je binnen 5 werkdagen antwoord.',
      facebook:
        'Hoi {{customer.name|daar}}, wat ontzettend vervelend dat het zo is gelopen. We willen dit goed oppakken: dien je klacht in via polderpost.nl/klacht, dan heb je binnen 5 werkdagen een reactie van onze klachtenafdeling.',
      formal:
        'Geachte {{customer.name|heer/mevrouw}}, het spijt ons dat u niet tevreden bent. Wij verzoeken u uw klacht in te dienen via de officiële klachtenprocedure op polderpost.nl/klacht. U ontvangt binnen 5 werkdagen een reactie.',
    },
  },
  {
    id: 'starter-complaint-en',
    title: 'Complaint → complaints procedure',
    shortcut: 'complaint',
    category: 'Complaint',
    language: 'en',
    body: 'Hi {{customer.name|there}}, we are sorry this went wrong and we take your complaint seriously. Please file it through our official complaints procedure at polderpost.nl/complaint; you will hear back within 5 working days.',
    variants: {
      x: 'Hi {{customer.name|there}}, sorry this went wrong! Please file your complaint at polderpost.nl/complaint; you will hear back within 5 working days.',
      facebook:
        'Hi {{customer.name|there}}, we are really sorry this went wrong. We want to put it right: please file your complaint at polderpost.nl/complaint and our complaints team will get back to you within 5 working days.',
      formal:
        'Dear {{customer.name|customer}}, we regret that you are not satisfied. We kindly ask you to submit your complaint through our official complaints procedure at polderpost.nl/complaint. You will receive a response within 5 working days.',
    },
  },
  {
    id: 'starter-call-nl',
    title: 'Herhaalde vraag → terugbellen door specialist',
    shortcut: 'bellen',
    category: 'Doorverwijzen',
    language: 'nl',
    body: 'Hoi {{customer.name|daar}}, dit is lastig om hier goed op te lossen. Zullen we je laten bellen door een specialist van {{department|onze klantenservice}}? Stuur ons een privébericht met je telefoonnummer en een moment dat je goed uitkomt.',
    variants: {
      x: 'Hoi {{customer.name|daar}}, dit lossen we beter telefonisch op. Stuur je ons een DM met je nummer? Dan belt een specialist van {{department|onze klantenservice}} je terug.',
    },
  },
  {
    id: 'starter-call-en',
    title: 'Repeated question → call with a specialist',
    shortcut: 'call',
    category: 'Hand over',
    language: 'en',
    body: 'Hi {{customer.name|there}}, this is hard to sort out properly here. Shall we have a specialist from {{department|our customer service}} call you? Send us a private message with your phone number and a time that suits you.',
    variants: {
      x: 'Hi {{customer.name|there}}, this is easier by phone. Could you DM us your number? A specialist from {{department|our customer service}} will call you back.',
    },
  },
  {
    id: 'starter-dm-nl',
    title: 'Gegevens vragen via privébericht',
    shortcut: 'dm',
    category: 'Vraag',
    language: 'nl',
    body: 'Hoi {{customer.name|daar}}, we zoeken het graag voor je uit. Stuur je ons een privébericht met je track & trace-code en postcode? Deel die gegevens liever niet openbaar.',
    variants: {
      x: 'Hoi {{customer.name|daar}}, we zoeken het graag uit! Stuur je ons een DM met je track & trace-code en postcode? Liever niet openbaar delen.',
    },
  },
  {
    id: 'starter-dm-en',
    title: 'Ask for details by private message',
    shortcut: 'dm',
    category: 'Question',
    language: 'en',
    body: 'Hi {{customer.name|there}}, happy to look into this for you. Could you send us a private message with your tracking code and postcode? Please do not share those details publicly.',
    variants: {
      x: 'Hi {{customer.name|there}}, happy to look into it! Could you DM us your tracking code and postcode? Best not to share them publicly.',
    },
  },
  {
    id: 'starter-thanks-nl',
    title: 'Bedankt',
    shortcut: 'bedankt',
    category: 'Compliment',
    language: 'nl',
    body: 'Hoi {{customer.name|daar}}, dank je wel! Fijn om te horen. We geven het door aan het team.',
    variants: {},
  },
  {
    id: 'starter-thanks-en',
    title: 'Thanks',
    shortcut: 'thanks',
    category: 'Praise',
    language: 'en',
    body: 'Hi {{customer.name|there}}, thank you! Great to hear. We will pass it on to the team.',
    variants: {},
  },
  {
    id: 'starter-looking-nl',
    title: 'We zoeken het uit',
    shortcut: 'uitzoeken',
    category: 'Vraag',
    language: 'nl',
    body: 'Hoi {{customer.name|daar}}, bedankt voor je melding. We zoeken het nu voor je uit en laten zo snel mogelijk van ons horen.',
    variants: {
      formal: 'Geachte {{customer.name|heer/mevrouw}}, dank voor uw bericht. Wij onderzoeken de kwestie en laten u zo spoedig mogelijk weten wat de uitkomst is.',
    },
  },
  {
    id: 'starter-looking-en',
    title: 'We are looking into it',
    shortcut: 'looking',
    category: 'Question',
    language: 'en',
    body: 'Hi {{customer.name|there}}, thanks for letting us know. We are looking into it now and will get back to you as soon as we can.',
    variants: {
      formal: 'Dear {{customer.name|customer}}, thank you for your message. We are investigating the matter and will inform you of the outcome as soon as possible.',
    },
  },
];
