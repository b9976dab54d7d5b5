import type { AccordionProps, FlexAlign, FlexJustify, FlexProps, HeadingProps, ListProps, TextProps, TileProps } from '@hubspot/ui-extensions';
import { Children, createContext, useContext, useId, useState } from 'react';
import { classNames, distance } from './spacing.js';

const flexJustify: Record<FlexJustify, string> = { start: 'flex-start', center: 'center', end: 'flex-end', around: 'space-around', between: 'space-between' };
const flexAlign: Record<FlexAlign, string> = { start: 'flex-start', center: 'center', end: 'flex-end', baseline: 'baseline', stretch: 'stretch' };

export function Flex({ direction = 'row', gap = 'flush', justify = 'start', align = 'stretch', alignSelf, wrap, testId, children }: FlexProps) {
  return (
    <div
      className="hs-flex"
      data-testid={testId}
      style={{
        flexDirection: direction,
        gap: distance(gap),
        justifyContent: flexJustify[justify],
        alignItems: flexAlign[align],
        ...(alignSelf ? { alignSelf: flexAlign[alignSelf] } : {}),
        flexWrap: wrap === true || wrap === 'wrap' ? 'wrap' : 'nowrap',
      }}
    >
      {children}
    </div>
  );
}

export function Tile({ compact, flush, testId, children }: TileProps) {
  return (
    <div className={classNames('hs-tile', compact && 'hs-tile--compact', flush && 'hs-tile--flush')} data-testid={testId}>
      {children}
    </div>
  );
}

/** The heading level extension headings sit at: the page gives its own title and frame the levels above. */
export const HeadingLevelContext = createContext<2 | 3>(2);

export function Heading({ inline, testId, children }: HeadingProps) {
  const Level = `h${useContext(HeadingLevelContext)}` as 'h2' | 'h3';
  return (
    <Level className={classNames('hs-heading', inline && 'hs-inline')} data-testid={testId}>
      {children}
    </Level>
  );
}

export function Text({ variant = 'bodytext', inline, format, truncate, testId, children }: TextProps) {
  const Element = inline ? 'span' : 'p';
  const maxWidth = typeof truncate === 'object' ? truncate.maxWidth : undefined;
  const tooltip = typeof truncate === 'object' ? truncate.tooltipText : undefined;
  const weight = { regular: 400, demibold: 600, bold: 700 }[format?.fontWeight ?? 'regular'];
  const decoration = { none: 'none', underline: 'underline', strikethrough: 'line-through' }[format?.lineDecoration ?? 'none'];
  const transform = format?.textTransform === 'sentenceCase' ? 'none' : (format?.textTransform ?? 'none');
  const sentenceCased =
    format?.textTransform === 'sentenceCase' && typeof children === 'string' ? children.charAt(0).toUpperCase() + children.slice(1).toLowerCase() : children;
  return (
    <Element
      className={classNames('hs-text', variant === 'microcopy' && 'hs-text--microcopy', truncate && 'hs-text--truncate')}
      data-testid={testId}
      title={tooltip}
      style={{ fontWeight: weight, fontStyle: format?.italic ? 'italic' : 'normal', textDecoration: decoration, textTransform: transform, ...(maxWidth ? { maxWidth } : {}) }}
    >
      {sentenceCased}
    </Element>
  );
}

export function List({ variant = 'unordered', testId, children }: ListProps) {
  const ordered = variant === 'ordered' || variant === 'ordered-styled';
  const Element = ordered ? 'ol' : 'ul';
  return (
    <Element className={`hs-list hs-list--${variant}`} data-testid={testId}>
      {Children.toArray(children).map((item, index) => (
        <li key={index}>{item}</li>
      ))}
    </Element>
  );
}

export function Accordion({ title, defaultOpen = false, open, disabled, size = 'sm', onClick, testId, children }: AccordionProps) {
  const [openHere, setOpenHere] = useState(defaultOpen);
  const isOpen = open ?? openHere;
  const panelId = useId();
  return (
    <div className={`hs-accordion hs-accordion--${size}`} data-testid={testId}>
      <button
        type="button"
        className="hs-accordion__toggle"
        aria-expanded={isOpen}
        aria-controls={panelId}
        disabled={disabled}
        onClick={() => {
          setOpenHere(!isOpen);
          onClick?.();
        }}
      >
        <span className="hs-accordion__caret" aria-hidden="true">
          {isOpen ? '▾' : '▸'}
        </span>
        {title}
      </button>
      <div id={panelId} className="hs-accordion__body" hidden={!isOpen}>
        {children}
      </div>
    </div>
  );
}
