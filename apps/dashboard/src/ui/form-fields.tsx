import type { Signal } from '@preact/signals';
import type { InputHTMLAttributes, SelectHTMLAttributes } from 'preact';

type InputAttributes = Omit<InputHTMLAttributes, 'value' | 'onInput' | 'label'>;
type SelectAttributes = Omit<SelectHTMLAttributes, 'value' | 'onChange' | 'label'>;

/** A labelled input whose text lives in `bind` (the forms keep their fields in signals). */
export function TextField(props: { label: string; bind: Signal<string> } & InputAttributes) {
  const { label, bind, ...input } = props;
  return (
    <label>
      {label}{' '}
      <input
        {...input}
        value={bind.value}
        onInput={(e) => (bind.value = (e.target as HTMLInputElement).value)}
      />
    </label>
  );
}

/** A labelled drop-down of `options` ([value, text] pairs). */
export function SelectField(
  props: {
    label: string;
    value: string;
    onChoose: (value: string) => void;
    options: ReadonlyArray<readonly [value: string, text: string]>;
  } & SelectAttributes,
) {
  const { label, value, onChoose, options, ...select } = props;
  return (
    <label>
      {label}{' '}
      <select
        {...select}
        value={value}
        onChange={(e) => onChoose((e.target as HTMLSelectElement).value)}
      >
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
