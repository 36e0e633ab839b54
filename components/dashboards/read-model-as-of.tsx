// How fresh a dashboard is: its figures come from the projector's read models, which trail the services
// by the event pipeline's delay; the newest event they hold says by how much.
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;

export function ReadModelAsOf({ asOf }: { asOf: string | null }) {
  return (
    <p className="facts-line" data-testid="as-of">
      As of the newest event projected: {asOf ? `${when(asOf)} UTC` : "none yet"}
    </p>
  );
}
