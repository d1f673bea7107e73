import type { Shape } from './wf';
import type { insightEn } from './insight.en';

/** What the console reads from messages: sentiment and storms (Dutch). */
export const insightNl: Shape<typeof insightEn> = {
  sla: {
    card: {
      ok: 'Wacht {{age}} van {{target}} min (binnen openingstijden)',
      soon: 'Wacht {{age}}: bijna de norm van {{target}} min (binnen openingstijden)',
      late: 'Wacht {{age}}: over de norm van {{target}} min (binnen openingstijden)',
    },
    header: {
      ok: 'Zo lang wacht het oudste open bericht binnen openingstijden; de norm is {{target}} min',
      soon: 'Bijna over de reactienorm van {{target}} min (binnen openingstijden)',
      late: 'Over de reactienorm van {{target}} min (binnen openingstijden)',
    },
    settings: 'Reactienormen',
    targetsHint: 'Binnen hoeveel minuten een bericht antwoord krijgt, geteld binnen openingstijden. Een kolom neemt de strengste van zijn kanalen, of een eigen norm.',
    channel: {
      x_mention: 'X-vermeldingen',
      x_search: 'X-zoekopdrachten',
      x_dm: 'X-privéberichten',
      fb_comment: 'Facebook-reacties',
      fb_message: 'Messenger',
    },
    hours: 'Openingstijden',
    hoursHint: 'Per dag, bijv. 09:00-17:00 of 08:00-12:00, 13:00-17:00; leeg is gesloten; 22:00-02:00 loopt door na middernacht. Alle dagen leeg: elke minuut telt.',
    alwaysOpen: 'Dag en nacht open',
    day: { mon: 'Maandag', tue: 'Dinsdag', wed: 'Woensdag', thu: 'Donderdag', fri: 'Vrijdag', sat: 'Zaterdag', sun: 'Zondag' },
    holidays: 'Feestdagen (JJJJ-MM-DD, gescheiden door komma\'s)',
    timeZone: 'Tijdzone',
    invalid: 'Niet opgeslagen: schrijf tijden als 09:00-17:00 en datums als 2026-12-25.',
    columnTarget: 'Reactienorm (minuten; leeg: die van de kanalen)',
  },
  storm: {
    title: 'Storm bij {{account}}:',
    explain_one: '{{n}} negatief bericht in {{minutes}} min, normaal {{usual}}.',
    explain_other: '{{n}} negatieve berichten in {{minutes}} min, normaal {{usual}}.',
    words: 'De meeste noemen: {{words}}.',
    notifyTitle: 'Storm bij {{account}}',
    openColumn: 'Incidentkolom openen',
    dismiss: 'Verbergen',
    columnTitle: 'Incident {{account}} {{time}}',
    settings: 'Stormmelding',
    windowMin: 'Venster (minuten)',
    factor: 'Keer het normale',
    minCount: 'Minstens (berichten)',
    hint: 'Een account heeft storm als de negatieve berichten in het venster beide grenzen halen; "normaal" is hetzelfde venster op elk van de laatste 28 dagen (met minder dan een dag geschiedenis: de vensters ervoor).',
  },
  sentiment: {
    positive: 'Positief',
    neutral: 'Neutraal',
    negative: 'Negatief',
    word: { positive: 'positief', neutral: 'neutraal', negative: 'negatief' },
    markDetected: 'Klinkt {{sentiment}} (gelezen door de console). Klik om te wijzigen.',
    markOverride: 'Klinkt {{sentiment}} (gekozen door een medewerker). Klik om te wijzigen.',
    menu: 'Hoe het klinkt',
    backTo: 'Zoals herkend: {{sentiment}}',
    clear: 'Zoals herkend',
    filter: 'Sentiment',
    any: 'Alle',
  },
};
