import type { DictionaryEntry } from '../../shared/ipc.js';

/** A <select> of library dictionaries of one kind: bundled first, then the user's own. */
export function DictionaryOptions({ library, kind }: { library: DictionaryEntry[]; kind?: 'speech' | 'noise' }) {
  const of = (origin: 'bundled' | 'user') => library.filter((e) => e.origin === origin && (!kind || e.kind === kind));
  return (
    <>
      <optgroup label="Bundled">
        {of('bundled').map((e) => (
          <option key={e.id} value={e.id}>
            {e.label} ({e.atoms})
          </option>
        ))}
      </optgroup>
      {of('user').length > 0 && (
        <optgroup label="Your library">
          {of('user').map((e) => (
            <option key={e.id} value={e.id}>
              {e.label} ({e.atoms})
            </option>
          ))}
        </optgroup>
      )}
    </>
  );
}
