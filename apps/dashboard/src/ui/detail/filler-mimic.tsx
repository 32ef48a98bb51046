import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import { formatValue } from '../../live/format-value.js';

type Anchor = 'start' | 'middle' | 'end';
type Place = readonly [x: number, y: number, anchor?: Anchor];

/** Where each live value stands in the drawing (text anchor default middle), by tag group. */
const VALUES: {
  readonly [G in 'inputs' | 'outputs' | 'analog']: Partial<
    Record<keyof BottleFillerTags[G], Place>
  >;
} = {
  inputs: {
    HighLevel: [160, 74, 'start'],
    LowLevel: [160, 169, 'start'],
    CapPresent: [548, 205, 'start'],
    BottlePresent: [200, 277, 'end'],
  },
  // The stack light's three values stand beside their lamps (LAMPS).
  outputs: { FillValve: [260, 235], CappingMotor: [505, 202], ConveyorMotor: [660, 277, 'start'] },
  analog: {
    TankTemperature: [72, 108],
    TankPressure: [72, 153],
    FillFlowRate: [345, 215, 'start'],
    FillLevel: [356, 292, 'start'],
    ConveyorSpeed: [660, 295, 'start'],
  },
};

/** The drawing's words and units and where they stand (text anchor default start), by part. */
const LABELS: Record<string, Record<string, Place>> = {
  tank: { 'Product tank': [85, 22, 'middle'], 'High level': [160, 59], 'Low level': [160, 154] },
  temperature: { Temperature: [85, 90, 'middle'], '°C': [100, 108] },
  pressure: { Pressure: [85, 135, 'middle'], PSI: [100, 153] },
  valve: { 'Fill valve': [260, 188, 'middle'], Flow: [345, 200], 'L/min': [380, 215] },
  filler: { Fill: [320, 292, 'middle'], '%': [392, 292] },
  capper: { Capper: [505, 168, 'middle'], 'Cap present': [548, 190] },
  conveyor: { Conveyor: [660, 262], RPM: [700, 295], Photoeye: [200, 262, 'end'] },
  light: { 'Stack light': [675, 22, 'middle'] },
};

/** Stack light: green is normal (grey when lit), yellow and red are abnormal (colour + text). */
const LAMPS = [
  ['IndicatorRed', 'lamp-red', 55],
  ['IndicatorYellow', 'lamp-yellow', 90],
  ['IndicatorGreen', 'lamp-green', 125],
] as const;

/** Every live value with its place: the table above, and one beside each lamp. */
const PLACES: ReadonlyArray<readonly [group: keyof typeof VALUES, tag: string, place: Place]> = [
  ...(Object.keys(VALUES) as Array<keyof typeof VALUES>).flatMap((group) =>
    Object.entries(VALUES[group]).map(([tag, place]) => [group, tag, place as Place] as const),
  ),
  ...LAMPS.map(([tag, , cy]) => ['outputs', tag, [690, cy + 4]] as const),
];

/**
 * The line drawn from its tags: tank (level switches, temperature, pressure) → fill valve →
 * filler with the bottle in it → capper → conveyor, and the stack light. ISA-101: equipment grey,
 * running equipment darker grey with its state in words; only an abnormal light or a fault gets colour.
 * Every value carries the page's testing hooks (`data-machine`, `data-tag`, text = value).
 */
export function FillerMimic(props: {
  machineId: string;
  tags: BottleFillerTags | undefined;
  stale: boolean;
}) {
  const t = props.tags;
  const id = props.machineId;
  if (!t) {
    return (
      <p class="empty-note">
        No scan received from {id} yet: the mimic appears with its first scan.
      </p>
    );
  }
  const on = (b: boolean) => (b ? 'mimic-on' : 'mimic-off');
  const motor = (running: boolean) => (running ? 'mimic-running' : 'mimic-equipment');
  const level = t.analog.FillLevel / 100;
  return (
    <svg
      class={`mimic${props.stale ? ' is-stale' : ''}`}
      viewBox="0 0 760 300"
      role="img"
      aria-label={`Line mimic of ${id}`}
    >
      {/* Tank */}
      <rect x="30" y="30" width="110" height="150" rx="10" class="mimic-equipment" />
      <circle cx="150" cy="55" r="6" class={on(t.inputs.HighLevel)} />
      <circle cx="150" cy="150" r="6" class={on(t.inputs.LowLevel)} />
      {/* Pipe and fill valve */}
      <path d="M 85 180 L 85 205 L 250 205" class="mimic-pipe" />
      <path
        d="M 250 195 L 270 215 L 270 195 L 250 215 Z"
        class={t.outputs.FillValve ? 'mimic-valve-open' : 'mimic-valve-closed'}
      />
      <path d="M 270 205 L 320 205 L 320 222" class="mimic-pipe" />
      {/* Bottle at the filler, capper with its bottle, conveyor */}
      <Bottle x={305} present={t.inputs.BottleAtFill} level={level} />
      <rect x="470" y="175" width="70" height="45" class={motor(t.outputs.CappingMotor)} />
      <Bottle x={490} present={t.inputs.BottleAtCap} />
      <rect x="230" y="272" width="420" height="10" class={motor(t.outputs.ConveyorMotor)} />
      {[250, 330, 410, 490, 570, 630].map((x) => (
        <circle key={x} cx={x} cy="277" r="4" class="mimic-roller" />
      ))}
      {/* Stack light */}
      <rect x="640" y="30" width="70" height="120" class="mimic-equipment" />
      {LAMPS.map(([tag, lit, cy]) => (
        <circle key={tag} cx="660" cy={cy} r="11" class={t.outputs[tag] ? lit : 'lamp-off'} />
      ))}
      {Object.values(LABELS)
        .flatMap((part) => Object.entries(part))
        .map(([text, [x, y, anchor = 'start']]) => (
          <text key={text} x={x} y={y} text-anchor={anchor} class="mimic-label">
            {text}
          </text>
        ))}
      {PLACES.map(([group, tag, [x, y, anchor = 'middle']]) => (
        <text
          key={tag}
          x={x}
          y={y}
          text-anchor={anchor}
          class={`mimic-value${props.stale ? ' is-stale' : ''}`}
          data-machine={id}
          data-tag={tag}
          {...(props.stale ? { 'data-stale': 'true' } : {})}
        >
          {formatValue(tag, (t[group] as Record<string, unknown>)[tag])}
        </text>
      ))}
    </svg>
  );
}

/** A bottle on the line (an outline where none is), filled to `level` (0–1) when given. */
function Bottle(props: { x: number; present: boolean; level?: number }) {
  const { x, present, level } = props;
  return (
    <>
      <rect
        x={x}
        y="225"
        width="30"
        height="45"
        rx="4"
        class={present ? 'mimic-bottle' : 'mimic-bottle-absent'}
      />
      {present && level !== undefined ? (
        <rect x={x + 2} y={268 - 41 * level} width="26" height={41 * level} class="mimic-product" />
      ) : null}
    </>
  );
}
