import type { TeamErrorKind } from '../shared/team.js';

/**
 * What the terminal tools (`npm start`, `npm run sandbox`, `npm run team:db`,
 * `npm run team:add-agent`) say, in Dutch and English. The language is the
 * terminal's, as POSIX programs pick it: WEBCARE_LANG first (to choose
 * without changing the locale), then LC_ALL, LC_MESSAGES and LANG; Dutch for
 * any `nl` locale (nl_NL, nl_BE…), English otherwise.
 *
 * The host's running log (accounts connected, streams failing) is a
 * diagnostic for whoever reads the terminal and stays English, as its lines
 * are searched for and quoted in bug reports.
 */
export type CliLang = 'en' | 'nl';

export function cliLang(env: NodeJS.ProcessEnv): CliLang {
  for (const name of ['WEBCARE_LANG', 'LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const v = env[name]?.trim();
    if (!v) continue;
    return /^nl(?:[_.@-]|$)/i.test(v) ? 'nl' : 'en';
  }
  return 'en';
}

export interface CliText {
  // npm start
  noElectron: string;
  data: (dir: string) => string;
  console: (url: string) => string;
  stopping: string;
  couldNotStart: (why: string) => string;
  dataDirInUse: (pid: number, file: string) => string;
  // npm run sandbox
  sandboxPort: string;
  sandboxReady: (url: string, xApiUrl: string, graphApiUrl: string) => string;
  // npm run team:db
  pgMissing: string;
  noPostgresUser: string;
  teamDbPort: string;
  unreachableHome: (home: string) => string;
  creatingCluster: (dataDir: string) => string;
  initdbFailed: (stderr: string) => string;
  passwordLost: (file: string, home: string) => string;
  pgStopped: string;
  pgSlow: string;
  stoppingPg: string;
  schemaMigrated: (from: number, to: number) => string;
  teamDbRunning: (o: { port: number; dataDir: string; url: string; passwordFile: string }) => string;
  // npm run team:add-agent
  whichDb: string;
  giveLogin: string;
  badLogin: (problem: 'shape' | 'reserved', login: string) => string;
  badRole: (roles: string) => string;
  needsDepartments: string;
  added: (o: { created: boolean; login: string; name: string; role: string; departments: string[] }) => string;
  generatedPassword: (password: string) => string;
  theirUrl: (name: string, url: string) => string;
  usage: string;
  // the team database's refusals
  teamError: (kind: TeamErrorKind, where: string | undefined) => string;
}

const EN: CliText = {
  noElectron: 'Electron runtime is not installed here (it cannot be downloaded offline); starting the browser host instead.',
  data: (dir) => `Data: ${dir}`,
  console: (url) => `Console: ${url}`,
  stopping: 'Stopping…',
  couldNotStart: (why) => `Could not start: ${why}`,
  dataDirInUse: (pid, file) =>
    `Another console (process ${pid}) is using this data folder; close it first, or start with another WEBCARE_DATA_DIR. If none is running, delete ${file}.`,
  sandboxPort: 'WEBCARE_SANDBOX_PORT must be a port number (0 to 65535; 0 picks a free one).',
  sandboxReady: (url, xApiUrl, graphApiUrl) => `Sandbox: ${url} (inspection API under /__sandbox)

Start each console with
  WEBCARE_SANDBOX_URL=${url}
(and a WEBCARE_DATA_DIR of its own): the first signs the sandbox's X account and
Facebook Page in, as the team's, through the real OAuth code. A console that should only
talk to it as it would to X and Graph takes instead
  WEBCARE_X_API_URL=${xApiUrl}
  WEBCARE_GRAPH_API_URL=${graphApiUrl}

Ctrl-C stops it.`,
  pgMissing:
    'The PostgreSQL server is not installed (no /usr/lib/postgresql/*/bin/initdb).\n' +
    'On Debian or Ubuntu: sudo apt-get install postgresql   (or set WEBCARE_PG_BIN to its bin folder)',
  noPostgresUser: 'Running as root, but there is no "postgres" user to run the server as (installing Debian\'s postgresql package creates it).',
  teamDbPort: 'WEBCARE_TEAM_DB_PORT must be a port number (1 to 65535).',
  unreachableHome: (home) =>
    `PostgreSQL runs as the postgres user, which cannot reach ${home} (a folder above it is closed to other users, as /root is).\n` +
    'Set WEBCARE_DATA_DIR to a folder it can reach, e.g. WEBCARE_DATA_DIR=/srv/webcare npm run team:db',
  creatingCluster: (dataDir) => `Creating a PostgreSQL cluster in ${dataDir} …`,
  initdbFailed: (stderr) => `initdb failed:\n${stderr}`,
  passwordLost: (file, home) => `${file} is missing: the admin password of this cluster is lost. Move ${home} away to start afresh.`,
  pgStopped: 'PostgreSQL stopped while starting (its messages are above). Is another server using this data folder or port?',
  pgSlow: 'PostgreSQL did not start within 30 s.',
  stoppingPg: '\nStopping PostgreSQL …',
  schemaMigrated: (from, to) => `Schema brought from version ${from} to ${to}.`,
  teamDbRunning: ({ port, dataDir, url, passwordFile }) => `
Team database running on port ${port} (data: ${dataDir}).

Admin URL (it creates logins; it is not a console login itself):
  ${url}

Add each person, yourself included; each gets a login and a URL of their own, which
they paste into Settings > Team of their console (or start it with WEBCARE_TEAM_DB=…):
  npm run team:add-agent -- --db "${url}" --login anna --name "Anna" --role agent
Roles: agent, specialist, lead, admin, department (with --departments billing,shipping).

The admin password is kept in ${passwordFile}. Ctrl-C stops the server.`,
  whichDb: 'Which database? Give --db "postgres://teamadmin:…@host:port/webcare" or set WEBCARE_TEAM_DB.',
  giveLogin: 'Give the new login with --login (e.g. --login anna).',
  badLogin: (problem, login) =>
    problem === 'reserved'
      ? `--login: the login "${login}" is reserved.`
      : '--login: a login is 1 to 63 lower-case letters, digits, "_", "." or "-", starting with a letter or "_".',
  badRole: (roles) => `--role must be one of: ${roles}.`,
  needsDepartments: 'A department login needs --departments (e.g. --departments billing,shipping).',
  added: ({ created, login, name, role, departments }) =>
    `${created ? 'Added' : 'Updated'} ${login} (${name}) as ${role}${departments.length ? ` for ${departments.join(', ')}` : ''}.`,
  generatedPassword: (password) => `Password (shown only now): ${password}`,
  theirUrl: (name, url) => `Their team URL (give it to ${name} privately):\n  ${url}`,
  usage: 'Usage: teamCli.js db | add-agent --db URL --login LOGIN --name NAME --role ROLE [--departments a,b] [--password X]',
  teamError: (kind, where = 'the team database') => {
    switch (kind) {
      case 'badUrl':
        return 'That is not a PostgreSQL URL. It looks like postgres://login:password@host:5432/database';
      case 'unreachable':
        return `No PostgreSQL server answers at ${where}. Is it running (npm run team:db), and are host and port right?`;
      case 'auth':
        return `The server refused that login or password (${where}).`;
      case 'rights':
        return "This login may not do that: use the team's admin login (the one npm run team:db prints; adding logins needs CREATEROLE).";
      case 'newerSchema':
        return 'The team database was set up by a newer version of the console: update this one first.';
      case 'key':
        return 'The team key does not fit.';
      case 'tls':
        return `TLS failed (${where}): check the certificate, or the URL's sslmode.`;
      case 'other':
        return 'The database said no.';
    }
  },
};

const NL: CliText = {
  noElectron: 'De Electron-runtime is hier niet geïnstalleerd (offline is die niet te downloaden); de browserhost start in plaats daarvan.',
  data: (dir) => `Gegevens: ${dir}`,
  console: (url) => `Console: ${url}`,
  stopping: 'Stoppen…',
  couldNotStart: (why) => `Kon niet starten: ${why}`,
  dataDirInUse: (pid, file) =>
    `Een andere console (proces ${pid}) gebruikt deze gegevensmap; sluit die eerst, of start met een andere WEBCARE_DATA_DIR. Draait er geen, verwijder dan ${file}.`,
  sandboxPort: 'WEBCARE_SANDBOX_PORT moet een poortnummer zijn (0 tot en met 65535; 0 kiest een vrije).',
  sandboxReady: (url, xApiUrl, graphApiUrl) => `Sandbox: ${url} (inspectie-API onder /__sandbox)

Start elke console met
  WEBCARE_SANDBOX_URL=${url}
(en een eigen WEBCARE_DATA_DIR): de eerste meldt het X-account en de Facebook-pagina
van de sandbox aan als die van het team, via de echte OAuth-code. Een console die er
alleen mee moet praten zoals met X en Graph, krijgt in plaats daarvan
  WEBCARE_X_API_URL=${xApiUrl}
  WEBCARE_GRAPH_API_URL=${graphApiUrl}

Ctrl-C stopt hem.`,
  pgMissing:
    'De PostgreSQL-server is niet geïnstalleerd (geen /usr/lib/postgresql/*/bin/initdb).\n' +
    'Op Debian of Ubuntu: sudo apt-get install postgresql   (of zet WEBCARE_PG_BIN op de bin-map ervan)',
  noPostgresUser: 'Dit draait als root, maar er is geen gebruiker "postgres" om de server als te draaien (Debians pakket postgresql maakt die aan).',
  teamDbPort: 'WEBCARE_TEAM_DB_PORT moet een poortnummer zijn (1 tot en met 65535).',
  unreachableHome: (home) =>
    `PostgreSQL draait als de gebruiker postgres, die ${home} niet kan bereiken (een map erboven is dicht voor andere gebruikers, zoals /root).\n` +
    'Zet WEBCARE_DATA_DIR op een map die hij wel kan bereiken, bijv. WEBCARE_DATA_DIR=/srv/webcare npm run team:db',
  creatingCluster: (dataDir) => `Een PostgreSQL-cluster wordt gemaakt in ${dataDir} …`,
  initdbFailed: (stderr) => `initdb mislukte:\n${stderr}`,
  passwordLost: (file, home) => `${file} ontbreekt: het beheerderswachtwoord van dit cluster is kwijt. Zet ${home} opzij om opnieuw te beginnen.`,
  pgStopped: 'PostgreSQL stopte tijdens het starten (zijn meldingen staan hierboven). Gebruikt een andere server deze gegevensmap of poort?',
  pgSlow: 'PostgreSQL startte niet binnen 30 s.',
  stoppingPg: '\nPostgreSQL stopt …',
  schemaMigrated: (from, to) => `Schema bijgewerkt van versie ${from} naar ${to}.`,
  teamDbRunning: ({ port, dataDir, url, passwordFile }) => `
Teamdatabase draait op poort ${port} (gegevens: ${dataDir}).

Beheer-URL (maakt logins aan; is zelf geen login voor de console):
  ${url}

Voeg iedereen toe, jezelf ook; ieder krijgt een eigen login en URL, die diegene plakt
in Instellingen > Team van de eigen console (of start die met WEBCARE_TEAM_DB=…):
  npm run team:add-agent -- --db "${url}" --login anna --name "Anna" --role agent
Rollen: agent, specialist, lead, admin, department (met --departments billing,shipping).

Het beheerderswachtwoord staat in ${passwordFile}. Ctrl-C stopt de server.`,
  whichDb: 'Welke database? Geef --db "postgres://teamadmin:…@host:poort/webcare" of zet WEBCARE_TEAM_DB.',
  giveLogin: 'Geef de nieuwe login met --login (bijv. --login anna).',
  badLogin: (problem, login) =>
    problem === 'reserved'
      ? `--login: de login "${login}" is gereserveerd.`
      : '--login: een login is 1 tot 63 kleine letters, cijfers, "_", "." of "-", en begint met een letter of "_".',
  badRole: (roles) => `--role moet een van deze zijn: ${roles}.`,
  needsDepartments: 'Een afdelingslogin heeft --departments nodig (bijv. --departments billing,shipping).',
  added: ({ created, login, name, role, departments }) =>
    `${login} (${name}) ${created ? 'toegevoegd' : 'bijgewerkt'} als ${role}${departments.length ? ` voor ${departments.join(', ')}` : ''}.`,
  generatedPassword: (password) => `Wachtwoord (alleen nu getoond): ${password}`,
  theirUrl: (name, url) => `De team-URL van ${name} (geef die alleen aan ${name}):\n  ${url}`,
  usage: 'Gebruik: teamCli.js db | add-agent --db URL --login LOGIN --name NAAM --role ROL [--departments a,b] [--password X]',
  teamError: (kind, where = 'de teamdatabase') => {
    switch (kind) {
      case 'badUrl':
        return 'Dat is geen PostgreSQL-URL. Die ziet eruit als postgres://login:wachtwoord@host:5432/database';
      case 'unreachable':
        return `Geen PostgreSQL-server antwoordt op ${where}. Draait die (npm run team:db), en kloppen host en poort?`;
      case 'auth':
        return `De server weigerde die login of dat wachtwoord (${where}).`;
      case 'rights':
        return 'Deze login mag dat niet: gebruik de beheerderslogin van het team (die npm run team:db toont; logins toevoegen vraagt CREATEROLE).';
      case 'newerSchema':
        return 'De teamdatabase is ingericht door een nieuwere versie van de console: werk deze eerst bij.';
      case 'key':
        return 'De teamsleutel past niet.';
      case 'tls':
        return `TLS mislukte (${where}): controleer het certificaat, of de sslmode in de URL.`;
      case 'other':
        return 'De database weigerde.';
    }
  },
};

export const CLI_TEXT: Record<CliLang, CliText> = { en: EN, nl: NL };

export function cliText(env: NodeJS.ProcessEnv = process.env): CliText {
  return CLI_TEXT[cliLang(env)];
}
