// The shipped scenarios as text, not files beside the code: an app bundled into one file (the
// agent) still has them. docs/disturbances.md shows them; copy one to start your own.

/** YAML of each shipped scenario file, by name. */
export const SHIPPED_SCENARIO_FILES: Readonly<Record<string, string>> = {
  'good-shift': `# A good day shift: a well-kept line with an attentive operator — OEE near world class (~80-85 %).
name: good shift
description: Few micro-stops, quick repairs, no late supply; a planned 20-minute changeover at 10:00.
start:
  time: '06:00'
  tankLevelPercent: 75
disturbances:
  infeedJam: { mtbfMinutes: 45, mttrSeconds: 30 }
  capFeedEmpty: { mtbfMinutes: 240, mttrSeconds: 90 }
  valveSticking: { mtbfMinutes: 1200, mttrSeconds: 480 }
  supplyThrottled: { mtbfMinutes: 600 }
  productSupplyLate: null
  upstreamStarved: { mtbfMinutes: 180, mttrSeconds: 90 }
  downstreamBlocked: { mtbfMinutes: 180, mttrSeconds: 60 }
  supplyLost: null
fillSpreadPct: 0.5
operator: { responseSeconds: 30 }
schedule:
  - { at: '10:00', action: changeover, durationMinutes: 20 }
`,
  'bad-shift': `# A bad shift: worn equipment, a supply that comes late, an operator stretched thin — OEE ~40-50 %.
name: bad shift
description: Frequent jams and cap problems, a sticking valve, late product, slow responses.
start:
  time: '14:00'
  tankLevelPercent: 40
disturbances:
  infeedJam: { mtbfMinutes: 6, mttrSeconds: 60 }
  capFeedEmpty: { mtbfMinutes: 40, mttrSeconds: 300 }
  valveSticking: { mtbfMinutes: 120, mttrSeconds: 1500, repairSpread: 0.9 }
  supplyThrottled: { mtbfMinutes: 60 }
  productSupplyLate: { mtbfMinutes: 60, mttrSeconds: 900 }
fillSpreadPct: 1.2
drifts: { pumpWearPsiPerHour: 0.4 }
operator: { responseSeconds: 180, responseSpread: 0.8 }
`,
  'starved-line': `# A starved line: the filler is fine, but upstream cannot keep it fed — NoBottle and Suspended
# dominate, availability stays high while performance collapses (an OEE trap worth testing).
name: starved line
description: Upstream delivers in bursts; the filler waits for bottles for a third of the shift.
disturbances:
  upstreamStarved: { mtbfMinutes: 12, mttrSeconds: 300, repairSpread: 0.9 }
  infeedJam: { mtbfMinutes: 20 }
schedule:
  - { at: '09:30', action: inject, fault: noBottles }
  - { at: '10:00', action: clear, fault: noBottles }
`,
};
