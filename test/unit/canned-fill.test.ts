import { describe, expect, it } from 'vitest';
import { fillTemplate, type VariableValues } from '../../shared/canned';
import { firstNameOf } from '../../shared/text/initials';

describe('fillTemplate: an empty variable leaves no double space', () => {
  const cases: Array<[string, VariableValues, string]> = [
    ['Hi {{customer.name}}, thanks for waiting.', {}, 'Hi, thanks for waiting.'],
    ['Hi {{customer.name}}, thanks for waiting.', { 'customer.name': 'Els' }, 'Hi Els, thanks for waiting.'],
    ['Hi {{customer.name|there}}, thanks.', {}, 'Hi there, thanks.'],
    ['Hi {{customer.name}} thanks', {}, 'Hi thanks'],
    ['Dag {{customer.name}}!', {}, 'Dag!'],
    ['Dag {{customer.name}}', {}, 'Dag'],
    ['{{customer.name}} hello', {}, 'hello'],
    ['Hi {{customer.name}} {{ticket}} there', {}, 'Hi there'],
    ['Regards,\n{{agent.name}}\n{{department}}', { 'agent.name': 'Anna' }, 'Regards,\nAnna\n'],
    ['Ticket {{ticket}}: see you', {}, 'Ticket: see you'],
    ['Line one\n{{department}} team', {}, 'Line one\nteam'],
    ['Keep {{unknown}} as typed', {}, 'Keep {{unknown}} as typed'],
    ['Hi  {{customer.name}}', { 'customer.name': 'Jan' }, 'Hi  Jan'],
    ['Hi {{customer.name}}, ^{{agent.initials}}', { 'agent.initials': 'GvA' }, 'Hi, ^GvA'],
  ];
  it.each(cases)('%j with %j → %j', (text, values, want) => {
    expect(fillTemplate(text, values, 'x_mention')).toBe(want);
  });
});

describe('firstNameOf: an initial is no first name', () => {
  const cases: Array<[string, string]> = [
    ['Els de Vries', 'Els'],
    ['K. Evans', ''],
    ['K Evans', ''],
    ['k. evans', ''],
    ['J.R. Smith', ''],
    ['J.-P. Martin', ''],
    ['K.Evans', ''],
    ['É. Dubois', ''],
    ['Jo Evans', 'Jo'],
    ['Jo-Anne Evans', 'Jo-Anne'],
    ['🚀 \u202EJan', 'Jan'],
    ['📦📦', ''],
    ['"Marloes" de Boer', 'Marloes'],
    ['王 小明', '王'],
    ['Ayşe van der Meer', 'Ayşe'],
    ['', ''],
  ];
  it.each(cases)('%j → %j', (name, want) => {
    expect(firstNameOf(name)).toBe(want);
  });

  it('an initial falls back in a canned reply', () => {
    expect(fillTemplate('Hi {{customer.name|there}},', { 'customer.name': firstNameOf('K. Evans') }, 'fb_comment')).toBe('Hi there,');
    expect(fillTemplate('Hi {{customer.name}},', { 'customer.name': firstNameOf('K. Evans') }, 'fb_comment')).toBe('Hi,');
  });
});
