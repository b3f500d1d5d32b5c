import {
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  NumberInput,
  TextInput,
} from '@patternfly/react-core';
import type { ReactNode } from 'react';

/** Helper text under a field: the error when there is one, else the hint. */
export function FieldHelp({
  id,
  error,
  hint,
}: {
  id: string;
  error: string | undefined;
  hint?: ReactNode;
}) {
  if (error === undefined && hint === undefined) return null;
  return (
    <FormHelperText>
      <HelperText id={`${id}-helper`} isLiveRegion>
        {error !== undefined ? (
          <HelperTextItem variant="error">{error}</HelperTextItem>
        ) : (
          <HelperTextItem>{hint}</HelperTextItem>
        )}
      </HelperText>
    </FormHelperText>
  );
}

export interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  isRequired?: boolean;
  placeholder?: string;
  type?: 'text' | 'password';
  autoComplete?: string;
  /** Class of the FormGroup (e.g. for a narrow field). */
  className?: string;
  labelHelp?: React.ReactElement;
  onKeyDown?: (event: React.KeyboardEvent<HTMLInputElement>) => void;
}

/** A labelled text field with inline validation. */
export function TextField(props: TextFieldProps) {
  const { id, label, value, onChange, error, hint } = props;
  return (
    <FormGroup
      label={label}
      fieldId={id}
      isRequired={props.isRequired}
      className={props.className}
      labelHelp={props.labelHelp}
    >
      <TextInput
        id={id}
        name={id}
        value={value}
        type={props.type ?? 'text'}
        onChange={(_event, next) => onChange(next)}
        validated={error !== undefined ? 'error' : 'default'}
        isRequired={props.isRequired}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? 'off'}
        aria-describedby={error !== undefined || hint !== undefined ? `${id}-helper` : undefined}
        onKeyDown={props.onKeyDown}
      />
      <FieldHelp id={id} error={error} hint={hint} />
    </FormGroup>
  );
}

export interface CountFieldProps {
  id: string;
  label: string;
  /** As typed; a number input still lets "1.5" through, which validation reports. */
  value: string;
  onChange: (value: string) => void;
  min: number;
  max: number;
  error?: string | undefined;
  hint?: ReactNode;
  unit?: string;
}

/** A labelled number input with minus/plus buttons. */
export function CountField({
  id,
  label,
  value,
  onChange,
  min,
  max,
  error,
  hint,
  unit,
}: CountFieldProps) {
  const current = value.trim() === '' || Number.isNaN(Number(value)) ? '' : Number(value);
  const step = (delta: number): void => {
    const base = typeof current === 'number' ? Math.round(current) : min;
    onChange(String(Math.min(max, Math.max(min, base + delta))));
  };
  return (
    <FormGroup label={label} fieldId={id} isRequired>
      <NumberInput
        value={current}
        min={min}
        max={max}
        unit={unit}
        validated={error !== undefined ? 'error' : 'default'}
        onMinus={() => step(-1)}
        onPlus={() => step(1)}
        onChange={(event) => onChange((event.target as HTMLInputElement).value)}
        inputName={id}
        inputAriaLabel={label}
        inputProps={{ id, 'aria-describedby': `${id}-helper` }}
        minusBtnAriaLabel={`Decrease ${label.toLowerCase()}`}
        plusBtnAriaLabel={`Increase ${label.toLowerCase()}`}
      />
      <FieldHelp id={id} error={error} hint={hint} />
    </FormGroup>
  );
}
