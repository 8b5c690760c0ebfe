import type { DictionaryEntry } from '../../shared/ipc.js';

export interface LibraryListProps {
  library: DictionaryEntry[];
  onUse(entry: DictionaryEntry): void;
  onDelete(entry: DictionaryEntry): void;
}

/** The dictionaries available for denoising and separation: bundled ones and the user's own. */
export function LibraryList({ library, onUse, onDelete }: LibraryListProps) {
  const user = library.filter((e) => e.origin === 'user');
  const bundled = library.filter((e) => e.origin === 'bundled');
  const row = (e: DictionaryEntry) => (
    <li key={e.id} className="library-row" data-testid={`library-${e.origin}`}>
      <span className={`kind ${e.kind}`}>{e.kind}</span>
      <span className="library-label" title={e.description}>
        {e.label}
      </span>
      <span className="num muted">{e.atoms} atoms{e.nFft !== 512 ? ` · ${e.nFft}-pt` : ''}</span>
      <button className="small" onClick={() => onUse(e)} title={`Use for ${e.kind === 'speech' ? 'speech' : 'noise'} when denoising`}>
        Use
      </button>
      {e.origin === 'user' && (
        <button className="small danger" onClick={() => onDelete(e)} aria-label={`Delete ${e.label}`}>
          Delete
        </button>
      )}
    </li>
  );
  return (
    <div className="library">
      <h3>Your dictionaries</h3>
      {user.length ? <ul>{user.map(row)}</ul> : <p className="muted">None yet: train one from a few minutes of a voice or a noise.</p>}
      <h3>Bundled</h3>
      <ul>{bundled.map(row)}</ul>
    </div>
  );
}
