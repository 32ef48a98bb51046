import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import { formatValue } from '../../live/format-value.js';

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
  const hook = (
    tag: string,
    value: unknown,
    x: number,
    y: number,
    anchor: 'start' | 'middle' | 'end' = 'middle',
  ) => (
    <text
      x={x}
      y={y}
      text-anchor={anchor}
      class={`mimic-value${props.stale ? ' is-stale' : ''}`}
      data-machine={id}
      data-tag={tag}
      {...(props.stale ? { 'data-stale': 'true' } : {})}
    >
      {formatValue(tag, value)}
    </text>
  );
  if (!t) {
    return (
      <p class="empty-note">
        No scan received from {id} yet: the mimic appears with its first scan.
      </p>
    );
  }
  const on = (b: boolean) => (b ? 'mimic-on' : 'mimic-off');
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
      <text x="85" y="22" text-anchor="middle" class="mimic-label">
        Product tank
      </text>
      <circle cx="150" cy="55" r="6" class={on(t.inputs.HighLevel)} />
      <text x="160" y="59" class="mimic-label">
        High level
      </text>
      {hook('HighLevel', t.inputs.HighLevel, 160, 74, 'start')}
      <circle cx="150" cy="150" r="6" class={on(t.inputs.LowLevel)} />
      <text x="160" y="154" class="mimic-label">
        Low level
      </text>
      {hook('LowLevel', t.inputs.LowLevel, 160, 169, 'start')}
      <text x="85" y="90" text-anchor="middle" class="mimic-label">
        Temperature
      </text>
      {hook('TankTemperature', t.analog.TankTemperature, 72, 108)}
      <text x="100" y="108" class="mimic-label">
        °C
      </text>
      <text x="85" y="135" text-anchor="middle" class="mimic-label">
        Pressure
      </text>
      {hook('TankPressure', t.analog.TankPressure, 72, 153)}
      <text x="100" y="153" class="mimic-label">
        PSI
      </text>
      {/* Pipe and fill valve */}
      <path d="M 85 180 L 85 205 L 250 205" class="mimic-pipe" />
      <path
        d="M 250 195 L 270 215 L 270 195 L 250 215 Z"
        class={t.outputs.FillValve ? 'mimic-valve-open' : 'mimic-valve-closed'}
      />
      <text x="260" y="188" text-anchor="middle" class="mimic-label">
        Fill valve
      </text>
      {hook('FillValve', t.outputs.FillValve, 260, 235)}
      <path d="M 270 205 L 320 205 L 320 222" class="mimic-pipe" />
      <text x="345" y="200" class="mimic-label">
        Flow
      </text>
      {hook('FillFlowRate', t.analog.FillFlowRate, 345, 215, 'start')}
      <text x="380" y="215" class="mimic-label">
        L/min
      </text>
      {/* Bottle at the filler */}
      <rect
        x="305"
        y="225"
        width="30"
        height="45"
        rx="4"
        class={t.inputs.BottleAtFill ? 'mimic-bottle' : 'mimic-bottle-absent'}
      />
      {t.inputs.BottleAtFill ? (
        <rect x="307" y={268 - 41 * level} width="26" height={41 * level} class="mimic-product" />
      ) : null}
      <text x="320" y="292" text-anchor="middle" class="mimic-label">
        Fill
      </text>
      {hook('FillLevel', t.analog.FillLevel, 356, 292, 'start')}
      <text x="392" y="292" class="mimic-label">
        %
      </text>
      {/* Capper */}
      <rect
        x="470"
        y="175"
        width="70"
        height="45"
        class={t.outputs.CappingMotor ? 'mimic-running' : 'mimic-equipment'}
      />
      <text x="505" y="168" text-anchor="middle" class="mimic-label">
        Capper
      </text>
      {hook('CappingMotor', t.outputs.CappingMotor, 505, 202)}
      <text x="548" y="190" class="mimic-label">
        Cap present
      </text>
      {hook('CapPresent', t.inputs.CapPresent, 548, 205, 'start')}
      <rect
        x="490"
        y="225"
        width="30"
        height="45"
        rx="4"
        class={t.inputs.BottleAtCap ? 'mimic-bottle' : 'mimic-bottle-absent'}
      />
      {/* Conveyor */}
      <rect
        x="230"
        y="272"
        width="420"
        height="10"
        class={t.outputs.ConveyorMotor ? 'mimic-running' : 'mimic-equipment'}
      />
      {[250, 330, 410, 490, 570, 630].map((x) => (
        <circle key={x} cx={x} cy="277" r="4" class="mimic-roller" />
      ))}
      <text x="660" y="262" class="mimic-label">
        Conveyor
      </text>
      {hook('ConveyorMotor', t.outputs.ConveyorMotor, 660, 277, 'start')}
      {hook('ConveyorSpeed', t.analog.ConveyorSpeed, 660, 295, 'start')}
      <text x="700" y="295" class="mimic-label">
        RPM
      </text>
      <text x="200" y="262" text-anchor="end" class="mimic-label">
        Photoeye
      </text>
      {hook('BottlePresent', t.inputs.BottlePresent, 200, 277, 'end')}
      {/* Stack light: green is normal (grey when lit), yellow and red are abnormal (colour + text) */}
      <rect x="640" y="30" width="70" height="120" class="mimic-equipment" />
      <text x="675" y="22" text-anchor="middle" class="mimic-label">
        Stack light
      </text>
      <circle cx="660" cy="55" r="11" class={t.outputs.IndicatorRed ? 'lamp-red' : 'lamp-off'} />
      {hook('IndicatorRed', t.outputs.IndicatorRed, 690, 59)}
      <circle
        cx="660"
        cy="90"
        r="11"
        class={t.outputs.IndicatorYellow ? 'lamp-yellow' : 'lamp-off'}
      />
      {hook('IndicatorYellow', t.outputs.IndicatorYellow, 690, 94)}
      <circle
        cx="660"
        cy="125"
        r="11"
        class={t.outputs.IndicatorGreen ? 'lamp-green' : 'lamp-off'}
      />
      {hook('IndicatorGreen', t.outputs.IndicatorGreen, 690, 129)}
    </svg>
  );
}
