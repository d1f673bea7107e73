/**
 * Where the general word lists read webcare wrongly, written for this console
 * (CC0) from how customers write to a carrier, a bank or a railway, never
 * from the sets the accuracy is measured on. Each entry replaces the list's
 * score for that word (0 takes a word out). Kept small on purpose: every word
 * here is a claim about all customer service traffic.
 */
export const WEBCARE_NL: Readonly<Record<string, number>> = {
  // "Bezorgd" is "delivered" to a carrier's customers (LUPJE reads "worried"), "echt" only stresses.
  bezorgd: 0,
  echt: 0,
  heel: 0,
  // What goes wrong with a delivery, an account or a journey.
  kapot: -3,
  beschadigd: -3,
  stuk: -2,
  zoek: -2,
  vertraging: -2,
  vertraagd: -2,
  waardeloos: -3,
  onbereikbaar: -3,
  onbeschoft: -3,
  frustrerend: -3,
  ergerlijk: -3,
  schande: -3,
  klantonvriendelijk: -3,
  oplichters: -4,
  bah: -2,
  zucht: -1,
  alweer: -1,
  // Praise as customers write it.
  klantvriendelijk: 2,
  toppie: 3,
  chapeau: 3,
  topservice: 3,
  snel: 1,
};

export const WEBCARE_EN: Readonly<Record<string, number>> = {
  // AFINN reads "joke" as fun; to a customer "what a joke" is contempt.
  joke: -2,
  delayed: -2,
  delay: -2,
  unreachable: -3,
  again: 0,
};

/** Emoji in either language (the emoji list gives an angry face only -1). */
export const WEBCARE_EMOJI: Readonly<Record<string, number>> = {
  '😡': -3,
  '🤬': -4,
  '😠': -3,
  '😤': -2,
  '🙄': -2,
  '😒': -2,
  '🤦': -2,
  '🤦‍♀️': -2,
  '🤦‍♂️': -2,
};
