import type { Shape } from '../wf';
import type { commonEn } from './common.en';

/** The team workflow's strings shared by every part (Dutch). */
export const commonNl: Shape<typeof commonEn> = {
  failed: {
    title: 'Niet opgeslagen voor het team',
    lost: '{{action}}: {{by}} was je voor ({{what}}).',
    lostNobody: '{{action}}: een collega was je voor ({{what}}).',
    rights: '{{action}}: dit mag je niet (je rol in het team staat het niet toe).',
    other: '{{action}}: de teamdatabase weigerde het ({{what}}).',
    dismiss: 'OK',
  },
  what: {
    answered: 'al beantwoord',
    approved: 'al goedgekeurd',
    returned: 'al teruggestuurd',
    sent: 'al verstuurd',
    gone: 'bestaat niet meer',
  },
  kind: {
    assign: 'Toewijzen',
    unassign: 'Toewijzing weghalen',
    note: 'Je notitie',
    ask: 'Je vraag aan een specialist',
    answer: 'Je antwoord',
    approve: 'Een reactie goedkeuren',
    return: 'Een reactie terugsturen',
    review: 'Je beoordeling',
    approvalPolicy: 'Instelling voor goedkeuring',
    ruleSave: 'Een routeringsregel opslaan',
    ruleDelete: 'Een routeringsregel verwijderen',
    routingCap: 'Het maximum voor verdelen op volgorde',
    accountDepartment: 'De afdeling van een account',
    cannedSave: 'Een standaardantwoord opslaan',
    cannedDelete: 'Een standaardantwoord verwijderen',
    cannedUse: 'Het gebruik van een standaardantwoord tellen',
    teamSetting: 'Een teaminstelling',
    shiftStart: 'Je dienst beginnen',
    shiftEnd: 'Je dienst beëindigen',
    handoverAck: 'Een overdracht bevestigen',
  },
};
