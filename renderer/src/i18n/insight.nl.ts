import type { Shape } from './wf';
import type { insightEn } from './insight.en';

/** What the console reads from messages: sentiment and storms (Dutch). */
export const insightNl: Shape<typeof insightEn> = {
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
