export function AlarmsPage() {
  return (
    <section>
      <h1>Alarms</h1>
    </section>
  );
}
