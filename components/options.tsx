// A select's options that are their own labels: page sizes, burn-rate tiers, a schema's enum values.
export function Options({ values }: { values: readonly (string | number)[] }) {
  return (
    <>
      {values.map((v) => (
        <option key={v} value={String(v)}>
          {v}
        </option>
      ))}
    </>
  );
}
