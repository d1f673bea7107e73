import pgTemplates from '../support/pgTemplates';

/**
 * Once per e2e run: a folder for the output of initdb, which the specs' PostgreSQL
 * clusters copy. The console most specs use is one per worker (fixtures.ts).
 */
export default function globalSetup() {
  return pgTemplates();
}
