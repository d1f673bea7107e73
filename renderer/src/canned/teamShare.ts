import { act } from '../workflow/store';
import { SavedSchema } from './teamLibrary';

/**
 * What this console did to the library, for the team: null outside a team (the
 * local library is all there is), else the queued action (it survives going
 * offline; its record applies here too, once).
 */
export async function shareSave(reply: { usage?: number } & Record<string, unknown>): Promise<unknown> {
  const { usage: _own, ...rest } = reply;
  const saved = SavedSchema.safeParse(rest);
  if (!saved.success) return null;
  return act({ kind: 'cannedSave', reply: saved.data });
}

export async function shareDelete(cannedId: string): Promise<unknown> {
  return act({ kind: 'cannedDelete', cannedId });
}

export async function shareUse(cannedId: string): Promise<unknown> {
  return act({ kind: 'cannedUse', cannedId });
}
