// The part of autocannon's API the benchmark uses (the package ships no type declarations).
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    overallRate?: number;
    duration?: number;
    ignoreCoordinatedOmission?: boolean;
  }
  interface Result {
    latency: { p50: number; p99: number; max: number; average: number };
    non2xx: number;
    errors: number;
    requests: { total: number };
  }
  export default function autocannon(options: Options): Promise<Result>;
}
