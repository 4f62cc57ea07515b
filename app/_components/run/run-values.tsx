import { keyValueRows } from '../../_lib/key-values.ts';

function Values({ title, value, none }: { title: string; value: unknown; none: string }) {
  const rows = keyValueRows(value);
  return (
    <div className="run-values__group">
      <h3 className="run-values__title">{title}</h3>
      {rows && rows.length > 0 ? (
        <dl className="run-values__list">
          {rows.map((row) => (
            <div key={row.name}>
              <dt className="mono">{row.name}</dt>
              <dd className="mono">{row.value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">{none}</p>
      )}
    </div>
  );
}

/** The params a run was started with and the output variables its steps have captured so far. */
export function RunValues({ params, outputs }: { params: unknown; outputs: unknown }) {
  return (
    <div className="run-values">
      <Values title="Params" value={params} none="No params." />
      <Values title="Outputs" value={outputs} none={outputs === null ? 'Not known for this run (recorded without its workflow version).' : 'No output captured yet.'} />
    </div>
  );
}
