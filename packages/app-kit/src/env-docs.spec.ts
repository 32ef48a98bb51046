import { describe, expect, it } from 'vitest';
import { formatEnvHelp, formatEnvTable, missingEnvTableRows } from './env-docs.js';
import { LOG_LEVEL } from './log-env.js';
import { MQTT_BROKER_PORT, MQTT_PASSWORD } from './mqtt-env.js';

const SPEC = [MQTT_BROKER_PORT, MQTT_PASSWORD, LOG_LEVEL] as const;

describe('--help and the docs table, from one table', () => {
  it('lists flags, then every variable by group with meaning, default and allowed values', () => {
    expect(
      formatEnvHelp(SPEC, {
        intro: ['demo — does things'],
        flags: { '--help, -h': 'Show this help and exit', '--fast': 'Go fast' },
        outro: ['Exit codes: 0, 2.'],
      }),
    ).toBe(
      [
        'demo — does things',
        '',
        'Flags:',
        '  --help, -h  Show this help and exit',
        '  --fast      Go fast',
        '',
        'Broker:',
        '  MQTT_BROKER_PORT',
        '      Broker port.',
        '      default: 1883 (8883 with MQTT_TLS=true)',
        '      allowed: a TCP port, 1-65535',
        '',
        'Security:',
        '  MQTT_PASSWORD',
        '      Password for broker authentication (prefer MQTT_PASSWORD_FILE).',
        '      default: (none)',
        '      allowed: any non-empty text; requires MQTT_USERNAME; not with MQTT_PASSWORD_FILE',
        '',
        'Logging:',
        '  LOG_LEVEL',
        '      Least severe level logged.',
        '      default: info',
        '      allowed: error, warn, info or debug',
        '',
        'Exit codes: 0, 2.',
        '',
      ].join('\n'),
    );
  });

  it('renders a Markdown table with code-formatted defaults, and finds rows a document lacks', () => {
    const table = formatEnvTable(SPEC);
    expect(table.split('\n')[2]).toBe(
      '| `MQTT_BROKER_PORT` | `1883` (8883 with MQTT_TLS=true) | a TCP port, 1-65535 | Broker port. |',
    );
    const padded = table.replace(/ \| /g, '   |   ');
    expect(missingEnvTableRows(`# Doc\n\n${padded}\n`, SPEC)).toEqual([]);
    expect(missingEnvTableRows(table.split('\n').slice(0, 4).join('\n'), SPEC)).toEqual([
      expect.stringContaining('`LOG_LEVEL`'),
    ]);
  });
});
