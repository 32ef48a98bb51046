/**
 * The text of a `/metrics` endpoint, or `''` while it does not answer (for `expect.poll`).
 *
 * @example
 * ```ts
 * await expect.poll(async () => sampleValue(await scrapeMetrics(url), 'otmqtt_ingest_invalid_messages_total')).toBe(1);
 * ```
 */
export function scrapeMetrics(url: string): Promise<string> {
  return fetch(url).then(
    (r) => r.text(),
    () => '',
  );
}

/**
 * The value of one series in exposition text, written as it appears there
 * (`otmqtt_mqtt_connections{state="connected"}`), or undefined when absent.
 */
export function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
