import type { CheckboxProps, DateInputProps, FormInputValues, FormProps, InputProps, NumberInputProps, SelectProps, TextAreaProps, ToggleProps } from '@hubspot/ui-extensions';
import { createContext, useContext, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { classNames, sizeName } from './spacing.js';

/**
 * HubSpot commits a text field's value (`onChange`) on blur and when its form is submitted; each
 * field registers its commit with the form it is in, so a submit by Enter commits it first.
 */
const FormCommits = createContext<Set<() => void> | null>(null);

export function Form({ onSubmit, autoComplete, testId, children }: FormProps) {
  const commits = useRef(new Set<() => void>()).current;
  // The handler of the render after the commits, which sees the committed values.
  const latestOnSubmit = useRef(onSubmit);
  latestOnSubmit.current = onSubmit;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    // HubSpot never lets a form navigate the page it runs in.
    event.preventDefault();
    flushSync(() => commits.forEach((commit) => commit()));
    const values: FormInputValues = {};
    for (const [name, value] of new FormData(event.currentTarget)) if (typeof value === 'string') values[name] = value;
    void latestOnSubmit.current?.({ type: 'submit', bubbles: true, timeStamp: event.timeStamp, id: event.currentTarget.id, targetValue: values }, {
      openPanel: () => undefined,
      closePanel: () => undefined,
      openModal: () => undefined,
      closeModal: () => undefined,
    });
  };
  return (
    <FormCommits.Provider value={commits}>
      <form className="hs-form" autoComplete={autoComplete} noValidate data-testid={testId} onSubmit={submit}>
        {children}
      </form>
    </FormCommits.Provider>
  );
}

interface FieldProps {
  id: string;
  label?: string;
  labelHidden?: boolean;
  required?: boolean | undefined;
  description?: string | undefined;
  tooltip?: string | undefined;
  error?: boolean | undefined;
  validationMessage?: string | undefined;
  testId?: string | undefined;
  children: ReactNode;
}

/** Label, description, the control and its validation message, as HubSpot lays out every input. */
function Field({ id, label, labelHidden, required, description, tooltip, error, validationMessage, testId, children }: FieldProps) {
  return (
    <div className={classNames('hs-field', error && 'hs-field--error')} data-testid={testId}>
      {label !== undefined && (
        <label htmlFor={id} className={labelHidden ? 'hs-visually-hidden' : 'hs-field__label'} title={tooltip}>
          {label}
          {required && <span className="hs-field__required" aria-hidden="true"> *</span>}
        </label>
      )}
      {description && (
        <p id={`${id}-description`} className="hs-field__description">
          {description}
        </p>
      )}
      {children}
      {validationMessage && (
        <p id={`${id}-message`} className={error ? 'hs-field__error' : 'hs-field__description'}>
          {validationMessage}
        </p>
      )}
    </div>
  );
}

const describedBy = (id: string, description?: string, validationMessage?: string) =>
  [description && `${id}-description`, validationMessage && `${id}-message`].filter(Boolean).join(' ') || undefined;

/** A text value edited freely and committed on blur or submit; a new `value` from the extension replaces the draft. */
function useCommittedText(value: string | undefined, defaultValue: string | undefined, commit: (text: string) => void) {
  const [draft, setDraft] = useState(value ?? defaultValue ?? '');
  const committed = useRef(value ?? defaultValue ?? '');
  useEffect(() => {
    if (value === undefined) return;
    committed.current = value;
    setDraft(value);
  }, [value]);
  const latest = useRef({ draft, commit });
  latest.current = { draft, commit };
  const commitDraft = () => {
    if (latest.current.draft === committed.current) return;
    committed.current = latest.current.draft;
    latest.current.commit(latest.current.draft);
  };
  const commits = useContext(FormCommits);
  useEffect(() => {
    commits?.add(commitDraft);
    return () => void commits?.delete(commitDraft);
  });
  /** A text field's events: a keystroke drafts (and is the extension's `onInput`), leaving the field commits. */
  const textEvents = (handlers: { onInput?: (text: string) => void; onFocus?: (text: string) => void; onBlur?: (text: string) => void }) => ({
    onChange: (event: { target: { value: string } }) => {
      setDraft(event.target.value);
      handlers.onInput?.(event.target.value);
    },
    onFocus: (event: { target: { value: string } }) => handlers.onFocus?.(event.target.value),
    onBlur: (event: { target: { value: string } }) => {
      commitDraft();
      handlers.onBlur?.(event.target.value);
    },
  });
  return { draft, setDraft, commitDraft, textEvents };
}

export function Input({ label, name, value, defaultValue, type = 'text', required, readOnly, description, tooltip, placeholder, error, validationMessage, onChange, onInput, onBlur, onFocus, testId }: InputProps) {
  const id = useId();
  const { draft, textEvents } = useCommittedText(value, defaultValue, (text) => onChange?.(text));
  return (
    <Field id={id} label={label} required={required} description={description} tooltip={tooltip} error={error} validationMessage={validationMessage} testId={testId}>
      <input
        id={id}
        className="hs-input"
        type={type}
        name={name}
        value={draft}
        required={required}
        readOnly={readOnly}
        placeholder={placeholder}
        aria-invalid={error || undefined}
        aria-describedby={describedBy(id, description, validationMessage)}
        {...textEvents({ onInput, onFocus, onBlur })}
      />
    </Field>
  );
}

export function TextArea({ label, name, value, defaultValue, required, readOnly, description, tooltip, placeholder, error, validationMessage, rows, cols, maxLength, resize = 'vertical', onChange, onInput, onBlur, onFocus, testId }: TextAreaProps) {
  const id = useId();
  const { draft, textEvents } = useCommittedText(value, defaultValue, (text) => onChange?.(text));
  return (
    <Field id={id} label={label} required={required} description={description} tooltip={tooltip} error={error} validationMessage={validationMessage} testId={testId}>
      <textarea
        id={id}
        className="hs-input hs-textarea"
        name={name}
        value={draft}
        rows={rows}
        cols={cols}
        maxLength={maxLength}
        required={required}
        readOnly={readOnly}
        placeholder={placeholder}
        style={{ resize }}
        aria-invalid={error || undefined}
        aria-describedby={describedBy(id, description, validationMessage)}
        {...textEvents({ onInput, onFocus, onBlur })}
      />
    </Field>
  );
}

/** An empty or unreadable number is committed as NaN, which the extensions read as "no number". */
const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

export function NumberInput({ label, name, value, defaultValue, required, readOnly, description, tooltip, placeholder, error, validationMessage, min, max, precision, textAlign = 'left', onChange, onBlur, onFocus, testId }: NumberInputProps) {
  const id = useId();
  const asText = (number: number | undefined) => (number === undefined || Number.isNaN(number) ? undefined : String(number));
  const { draft, setDraft, commitDraft } = useCommittedText(asText(value), asText(defaultValue), (text) => onChange?.(numberOf(text)));
  return (
    <Field id={id} label={label} required={required} description={description} tooltip={tooltip} error={error} validationMessage={validationMessage} testId={testId}>
      <input
        id={id}
        className="hs-input hs-input--number"
        type="number"
        inputMode="decimal"
        name={name}
        value={draft}
        min={min}
        max={max}
        step={precision === undefined ? 'any' : 10 ** -precision}
        required={required}
        readOnly={readOnly}
        placeholder={placeholder}
        style={{ textAlign }}
        aria-invalid={error || undefined}
        aria-describedby={describedBy(id, description, validationMessage)}
        onChange={(event) => setDraft(event.target.value)}
        onFocus={(event) => onFocus?.(numberOf(event.target.value))}
        onBlur={(event) => {
          commitDraft();
          onBlur?.(numberOf(event.target.value));
        }}
      />
    </Field>
  );
}

export function Select({ label, name, value, options, required, readOnly, description, tooltip, placeholder, error, validationMessage, variant = 'input', onChange, testId }: SelectProps) {
  const id = useId();
  const selected = options.findIndex((option) => value !== undefined && String(option.value) === String(value));
  return (
    <Field id={id} label={label ?? name ?? 'Select'} labelHidden={label === undefined} required={required} description={description} tooltip={tooltip} error={error} validationMessage={validationMessage} testId={testId}>
      <select
        id={id}
        className={`hs-input hs-select hs-select--${variant}`}
        name={name}
        value={selected === -1 ? '' : String(selected)}
        required={required}
        disabled={readOnly}
        aria-invalid={error || undefined}
        aria-describedby={describedBy(id, description, validationMessage)}
        onChange={(event) => {
          const option = options[Number(event.target.value)];
          if (option) onChange?.(option.value);
        }}
      >
        {selected === -1 && (
          <option value="" disabled>
            {placeholder ?? 'Select an option'}
          </option>
        )}
        {options.map((option, index) => (
          <option key={`${index}-${String(option.value)}`} value={String(index)}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function Checkbox({ name, value = '', checked, initialIsChecked, readOnly, readonly, description, inline, variant, size, onChange, 'aria-label': ariaLabel, testId, children }: CheckboxProps) {
  const id = useId();
  const [checkedHere, setCheckedHere] = useState(initialIsChecked ?? false);
  const isChecked = checked ?? checkedHere;
  const locked = readOnly ?? readonly ?? false;
  return (
    <div className={classNames('hs-checkbox', inline && 'hs-inline', `hs-checkbox--${sizeName(variant === 'small' ? 'sm' : size)}`)} data-testid={testId}>
      <input
        id={id}
        type="checkbox"
        name={name}
        value={value}
        checked={isChecked}
        disabled={locked}
        aria-label={children === undefined ? ariaLabel : undefined}
        aria-describedby={description ? `${id}-description` : undefined}
        onChange={(event) => {
          setCheckedHere(event.target.checked);
          onChange?.(event.target.checked, value);
        }}
      />
      {children !== undefined && <label htmlFor={id}>{children}</label>}
      {description && (
        <p id={`${id}-description`} className="hs-field__description">
          {description}
        </p>
      )}
    </div>
  );
}

export function Toggle({ label, labelDisplay = 'inline', checked, initialIsChecked, readOnly, readonly, size = 'md', textChecked = 'On', textUnchecked = 'Off', onChange, testId }: ToggleProps) {
  const id = useId();
  const [checkedHere, setCheckedHere] = useState(initialIsChecked ?? false);
  const isChecked = checked ?? checkedHere;
  return (
    <div className={`hs-toggle hs-toggle--${labelDisplay} hs-toggle--${sizeName(size)}`} data-testid={testId}>
      <label htmlFor={id} className={labelDisplay === 'hidden' ? 'hs-visually-hidden' : 'hs-field__label'}>
        {label}
      </label>
      <button
        id={id}
        type="button"
        role="switch"
        className="hs-toggle__switch"
        aria-checked={isChecked}
        disabled={readOnly ?? readonly ?? false}
        onClick={() => {
          setCheckedHere(!isChecked);
          onChange?.(!isChecked);
        }}
      >
        <span className="hs-toggle__knob" aria-hidden="true" />
        <span className="hs-toggle__text">{isChecked ? textChecked : textUnchecked}</span>
      </button>
    </div>
  );
}

const pad = (number: number) => String(number).padStart(2, '0');

export function DateInput({ label, name, value, defaultValue, required, readOnly, description, tooltip, error, validationMessage, min, max, format = 'short', onChange, onBlur, onFocus, testId }: DateInputProps) {
  const id = useId();
  const isoOf = (day: { year: number; month: number; date: number } | null | undefined) => (day ? `${day.year}-${pad(day.month + 1)}-${pad(day.date)}` : '');
  const [draft, setDraft] = useState(isoOf(value ?? defaultValue));
  useEffect(() => {
    if (value !== undefined) setDraft(isoOf(value));
  }, [value?.year, value?.month, value?.date]);
  /** HubSpot's payload: the day (month from 0) and the day as the `format` shows it; null when cleared. */
  const payload = (iso: string) => {
    if (!iso) return null;
    const [year = 0, month = 1, date = 1] = iso.split('-').map(Number);
    const formattedDate = format === 'YYYY-MM-DD' ? iso : new Date(Date.UTC(year, month - 1, date)).toLocaleDateString(undefined, { timeZone: 'UTC' });
    return { year, month: month - 1, date, formattedDate };
  };
  return (
    <Field id={id} label={label} required={required} description={description} tooltip={tooltip} error={error} validationMessage={validationMessage} testId={testId}>
      <input
        id={id}
        className="hs-input hs-input--date"
        type="date"
        name={name}
        value={draft}
        min={min ? isoOf(min) : undefined}
        max={max ? isoOf(max) : undefined}
        required={required}
        readOnly={readOnly}
        aria-invalid={error || undefined}
        aria-describedby={describedBy(id, description, validationMessage)}
        onChange={(event) => {
          setDraft(event.target.value);
          // A date picked is committed at once, as HubSpot's date picker does; null when cleared.
          onChange?.(payload(event.target.value) as Parameters<NonNullable<DateInputProps['onChange']>>[0]);
        }}
        onFocus={() => onFocus?.(payload(draft) as Parameters<NonNullable<DateInputProps['onFocus']>>[0])}
        onBlur={() => onBlur?.(payload(draft) as Parameters<NonNullable<DateInputProps['onBlur']>>[0])}
      />
    </Field>
  );
}
