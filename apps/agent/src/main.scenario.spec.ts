import { describe, expect } from 'vitest';
import { agentTest as it, brokerEnv, spawnAgent, waitFor } from './agent-process.test-helper.js';

interface AlarmsPayload {
  tags?: Record<string, boolean>;
}

describe('agent SIM_SCENARIO against a real Mosquitto (issue 17)', () => {
  it('a shipped bad shift at 1000× real time publishes its alarms within seconds', async ({
    broker,
    subscribe,
  }) => {
    const { seen } = await subscribe('test/scenario/alarms');
    const agent = spawnAgent({
      ...brokerEnv(broker),
      PUBLISH_INTERVAL: '0.1',
      SIM_TIME_SCALE: '1000',
      SIM_SCENARIO: 'bad-shift',
      TOPIC_ROOT: 'test/scenario',
    });
    await agent.line(/INFO\s+.*bad shift|INFO\s+connected/);
    // Four simulated minutes per real second: the bad shift's jams and cap problems show at once.
    const raised = await waitFor(() => {
      const names = new Set<string>();
      for (const m of seen()) {
        const { tags } = JSON.parse(m.payload) as AlarmsPayload;
        for (const [name, on] of Object.entries(tags ?? {})) if (on) names.add(name);
      }
      return names.size >= 2 && names;
    }, 'two different alarms on test/scenario/alarms');
    expect(
      [...raised].every((n) =>
        ['LowProductLevel', 'Overfill', 'Underfill', 'NoBottle', 'CapMissing'].includes(n),
      ),
    ).toBe(true);
    expect(agent.stdout.join('\n')).toContain('bad shift');
  });
});
