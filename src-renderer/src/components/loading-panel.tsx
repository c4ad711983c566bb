/** A quiet placeholder while the first answer is on its way; the words are in the status line. */
export function LoadingPanel() {
  return (
    <div className="panel panel--loading" aria-hidden="true">
      <span className="placeholder placeholder--title" />
      <span className="placeholder" />
      <span className="placeholder placeholder--short" />
    </div>
  );
}
