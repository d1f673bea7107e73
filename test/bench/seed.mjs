// The bench's seeder: realistic Dutch and English webcare messages written straight into the
// console's IndexedDB, in a page of the console's origin where the console itself does not run
// (seedStore in board.mjs), with what the console writes for them:
//  - the messages through the console's own store class (renderer/src/db/db.ts, bundled for
//    the page by vite from test/bench/product.ts), so that its middlewares keep the rows derived
//    from messages as in every write of the console (a thread's row, ...);
//  - their search rows, made by the console's `searchRowOf`, in the same transactions.
// Seeding is not part of any figure (seed_ms is reported).
//
// What it costs: Chromium's IndexedDB spends its time per index entry (a search row of ~14 words
// is ~15 entries, stop words being kept out of its words index; a message 5), not per transaction
// or per put: 100 or 5,000 messages a transaction take the same time. So the seeder keeps the store busy without gaps (it builds the
// next chunk while up to IN_FLIGHT earlier ones are written) and writes every index in key order
// (ids grow with time), which spares LevelDB much rewriting; 250,000 messages still take minutes
// of CPU (run.mjs keeps the seeded profile for the next run).
import { readFile } from 'node:fs/promises';
import { build } from 'vite';

const CHUNK = 2_000;
const IN_FLIGHT = 3;

/** The console's own store class and search-row code, as one script for the page. */
async function productBundle() {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry: 'test/bench/product.ts', formats: ['iife'], name: '__product' } },
  });
  const chunk = (Array.isArray(out) ? out[0] : out).output[0];
  return chunk.code;
}

let bundle = null;

/** Everything that decides what the seeder writes: this file and the console's code it runs. */
export async function seederSource() {
  bundle ??= await productBundle();
  return `${await readFile(new URL(import.meta.url), 'utf8')}\n${bundle}`;
}

/** Installs `window.__seed(count)` in the page (a page of the console's origin; again after every navigation). */
export async function installSeeder(page) {
  bundle ??= await productBundle();
  await page.evaluate(`(() => { ${bundle}; window.__product = __product; })()`);
  await page.evaluate(
    ({ CHUNK, IN_FLIGHT }) => {
      const pick = (r, a) => a[Math.floor(r() * a.length)];
      const NL = [
        'Mijn pakket {code} is nog steeds niet bezorgd, wat is er aan de hand?',
        'De bezorger heeft een kaartje achtergelaten maar ik was gewoon thuis.',
        'Waarom duurt de levering naar {city} zo lang?',
        'Top service vandaag, de bezorger was super vriendelijk!',
        'Kan ik mijn adres nog wijzigen voor zending {code}?',
        'De app geeft een verbindingsfout bij het volgen van mijn pakket.',
        'Pakket beschadigd aangekomen, hoe dien ik een klacht in?',
        'Al drie dagen geen update over mijn retour.',
        'Is het afhaalpunt in {city} vandaag open?',
        'Dank jullie wel voor de snelle hulp 🙏',
        'Het pakket past niet door de brievenbus en nu ligt het bij de buren.',
        'Ik wil mijn geld terug, de zending is nooit aangekomen.',
        'Waar blijft mijn bestelling? Track & trace zegt al een week hetzelfde.',
        'Excuses accepteren we niet meer, dit is de derde keer.',
        'Bij het café op de hoek afgeleverd zonder te vragen 🙄',
        'Klantenservice is telefonisch onbereikbaar, daarom maar via hier.',
        'Het label op mijn retourpakket werkt niet.',
        'De bezorging in {city} loopt vandaag vertraging op door het weer.',
        // What customers add so that they can be found: postcodes, order and phone numbers.
        'Postcode {postcode}, huisnummer {num}. Kunnen jullie zien waar {code} blijft?',
        'Bestelnummer {order} bij de webshop, maar ik heb geen track & trace gekregen.',
        'Bel me even terug op {phone}, het gaat over zending {code}.',
        'Nieuw afleveradres: {street} {num}, {postcode} {city}.',
      ];
      const EN = [
        'My parcel {code} still has not arrived, any news?',
        'Driver left a note but I was home all day.',
        'Great service, thanks for the quick delivery!',
        'How do I change my delivery address for {code}?',
        'Tracking page says delivered but there is nothing here.',
        'Can I get a refund for a damaged package?',
        'Your app keeps losing its connection when I open tracking.',
        'Package was left outside in the rain in {city}.',
        'Is the pickup point in {city} open on Sunday?',
        'Third late delivery this month, really disappointed.',
        'Where is my return label? The link does not work.',
        'Thanks, the driver was lovely 😊',
        'Order {order} still says label created. Postcode {postcode}.',
        'Please call me back on {phone} about parcel {code}.',
      ];
      const CITIES = ['Amsterdam', 'Rotterdam', 'Utrecht', 'Den Haag', 'Eindhoven', 'Groningen', 'Zwolle', 'Maastricht', 'Leeuwarden', 'Tilburg'];
      const STREETS = ['Kerkstraat', 'Dorpsstraat', 'Molenweg', 'Stationsplein', 'Prinsengracht', 'Hoofdweg', 'Schoolstraat', 'Julianalaan'];
      const FIRST = ['Els', 'Sjoerd', 'Zoë', 'Daan', 'Fleur', 'Mohammed', 'Sanne', 'Ruud', 'Anouk', 'Bram', 'Chloé', 'Jeroen', 'Emma', 'Noah', 'Liam', 'Olivia', 'Fatima', 'Thijs', 'Lotte', 'Jan'];
      const LAST = ['de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Dijk', 'Yılmaz', 'El Amrani', 'Smith', 'Brown'];
      const LETTERS = 'ABCEGHJKLMNPRSTVWXZ';
      const CHANNELS = [
        ['x_mention', 0.4],
        ['x_dm', 0.15],
        ['fb_comment', 0.3],
        ['fb_message', 0.15],
      ];
      const channelOf = (r) => {
        let x = r();
        for (const [c, p] of CHANNELS) if ((x -= p) < 0) return c;
        return 'x_mention';
      };
      const rng = (seed) => () => {
        seed = (seed * 1664525 + 1013904223) >>> 0;
        return seed / 2 ** 32;
      };
      const digits = (r, n) => {
        let s = '';
        for (let i = 0; i < n; i++) s += Math.floor(r() * 10);
        return s;
      };
      /** Fills a template; `found` collects the first code, postcode and order number it writes. */
      const fill = (r, template, found) =>
        template.replace(/\{(\w+)\}/g, (_m, slot) => {
          switch (slot) {
            case 'code': {
              const code = `3SPLD${digits(r, 9)}`;
              found.code ??= code;
              return code;
            }
            case 'city':
              return pick(r, CITIES);
            case 'street':
              return pick(r, STREETS);
            case 'num':
              return String(1 + Math.floor(r() * 180));
            case 'postcode': {
              // Dense at the low end, as the big cities are: "1012 AB" has neighbours sharing "1012".
              const area = String(1000 + Math.floor(r() ** 3 * 9000));
              const letters = pick(r, LETTERS) + pick(r, LETTERS);
              found.postcode ??= { area, letters };
              // Written both ways, as people do.
              return r() < 0.5 ? `${area} ${letters}` : `${area}${letters}`;
            }
            case 'order': {
              const order = `WS-${digits(r, 7)}`;
              found.order ??= order;
              return order;
            }
            case 'phone':
              return r() < 0.5 ? `06-${digits(r, 8)}` : `06 ${digits(r, 8)}`;
            default:
              return `{${slot}}`;
          }
        });

      /**
       * Replaces the messages (and their search rows, pending index entries and marks) with
       * `count` generated ones. Returns the time taken and, from a message in the middle of
       * the history, a tracking code, a postcode and an order number that exist in the store.
       */
      window.__seed = async (count) => {
        const t0 = performance.now();
        const { WebcareDb, searchRowOf } = window.__product;
        const db = new WebcareDb('webcare');
        await db.open();
        const sample = {};
        let wordsTotal = 0;
        try {
          // Messages through the store class (its middlewares drop their derived rows too), the rest as they are.
          const named = (names) => db.tables.filter((t) => names.includes(t.name));
          await db.transaction('rw', named(['messages', 'searchIndex', 'searchPending', 'marks']), () => Promise.all(named(['messages', 'searchIndex', 'searchPending', 'marks']).map((t) => t.clear())));
          const r = rng(count);
          const now = Date.now();
          const span = 30 * 24 * 3600 * 1000;
          const people = Math.max(50, Math.floor(count / 12));
          const inFlight = [];
          for (let base = 0; base < count; base += CHUNK) {
            const messages = [];
            const rows = [];
            for (let i = base; i < Math.min(count, base + CHUNK); i++) {
              const channel = channelOf(r);
              const x = channel.startsWith('x_');
              const p = Math.floor(r() * people);
              const name = `${FIRST[p % FIRST.length]} ${LAST[Math.floor(p / FIRST.length) % LAST.length]}`;
              const lang = r() < 0.7 ? 'nl' : 'en';
              const pool = lang === 'nl' ? NL : EN;
              const parts = [];
              const n = 1 + Math.floor(r() * 3);
              // The sample comes from a third of the way back in the history, not from the newest.
              const found = i >= Math.floor(count / 3) ? sample : {};
              for (let k = 0; k < n; k++) parts.push(fill(r, pick(r, pool), found));
              if (channel === 'x_mention') parts.unshift('@polderpost');
              const text = parts.join(' ');
              const createdAt = now - Math.floor((i / count) * span) - Math.floor(r() * 60_000);
              // Ids grow with time and have one length, as the platforms' do: newer is higher, and so
              // every index of the store is written in order (LevelDB then rewrites far less).
              const id = `b${String(count - i).padStart(9, '0')}`;
              const m = {
                key: `${channel}:${id}`,
                platformId: id,
                channel,
                accountId: x ? 'bench-x' : 'bench-fb',
                conversationId: `c${String(Math.floor((count - i) / 2)).padStart(9, '0')}`,
                author: { id: `p${p}`, name, handle: x ? `user${p}` : '', followers: Math.floor(r() * 5000), verified: r() < 0.02 },
                text,
                createdAt,
                lang,
                fromUs: false,
              };
              messages.push(m);
              const row = searchRowOf(m);
              wordsTotal += row.words.length;
              rows.push(row);
            }
            while (inFlight.length >= IN_FLIGHT) await inFlight.shift();
            inFlight.push(db.transaction('rw', db.messages, db.searchIndex, () => Promise.all([db.messages.bulkPut(messages), db.searchIndex.bulkPut(rows)])));
          }
          await Promise.all(inFlight);
          // Every message has its search row: the console's backfill of older stores has nothing to do.
          await db.settings.put({ key: 'searchBackfill', value: 'done' });
          // The store class wrote the reports' facts with every chunk of messages: nothing to fill either.
          await db.settings.put({ key: 'reportFactsFilled', value: true });
        } finally {
          db.close();
        }
        return { ms: performance.now() - t0, words_per_row: Number((wordsTotal / count).toFixed(1)), sample };
      };
    },
    { CHUNK, IN_FLIGHT },
  );
}
