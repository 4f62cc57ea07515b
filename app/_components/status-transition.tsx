/** `from → to`; a null `from` is the event that created the run. */
export function StatusTransition({ from, to }: { from: string | null; to: string }) {
  return (
    <span className="transition">
      {from === null ? <span className="muted">created</span> : <code>{from}</code>}
      <span aria-hidden="true"> → </span>
      <span className="visually-hidden"> to </span>
      <code>{to}</code>
    </span>
  );
}
