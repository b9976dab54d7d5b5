import type { TabProps, TabsProps } from '@hubspot/ui-extensions';
import { Children, isValidElement, useId, useState, type KeyboardEvent, type ReactElement } from 'react';
import { classNames } from './spacing.js';

/** A tab's content; `Tabs` reads its props and lays the tabs out. */
export function Tab({ children }: TabProps) {
  return <>{children}</>;
}

/**
 * HubSpot's tabs: every panel stays mounted (a form keeps its draft while the admin looks at
 * another tab); only the selected one shows.
 */
export function Tabs({ defaultSelected, selected, onSelectedChange, variant = 'default', fill, testId, children }: TabsProps) {
  const tabs = Children.toArray(children).filter((child): child is ReactElement<TabProps> => isValidElement(child) && child.type === Tab);
  const idOf = (tab: ReactElement<TabProps>, index: number) => tab.props.tabId ?? index;
  const [selectedHere, setSelectedHere] = useState<string | number>(defaultSelected ?? (tabs[0] ? idOf(tabs[0], 0) : 0));
  const current = selected ?? selectedHere;
  const baseId = useId();
  const choose = (tabId: string | number) => {
    setSelectedHere(tabId);
    (onSelectedChange as ((tabId: string | number) => void) | undefined)?.(tabId);
  };
  const moveWithArrows = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (next) choose(idOf(next, tabs.indexOf(next)));
  };
  return (
    <div className={`hs-tabs hs-tabs--${variant}`} data-testid={testId}>
      <div className={classNames('hs-tabs__list', fill && 'hs-tabs__list--fill')} role="tablist">
        {tabs.map((tab, index) => {
          const tabId = idOf(tab, index);
          const isSelected = tabId === current;
          return (
            <button
              key={String(tabId)}
              id={`${baseId}-tab-${index}`}
              type="button"
              role="tab"
              className="hs-tabs__tab"
              aria-selected={isSelected}
              aria-controls={`${baseId}-panel-${index}`}
              tabIndex={isSelected ? 0 : -1}
              disabled={tab.props.disabled}
              title={tab.props.tooltip}
              onClick={() => choose(tabId)}
              onKeyDown={(event) => moveWithArrows(event, index)}
            >
              {tab.props.title}
            </button>
          );
        })}
      </div>
      {tabs.map((tab, index) => (
        <div
          key={String(idOf(tab, index))}
          id={`${baseId}-panel-${index}`}
          role="tabpanel"
          className="hs-tabs__panel"
          aria-labelledby={`${baseId}-tab-${index}`}
          hidden={idOf(tab, index) !== current}
          data-testid={tab.props.testId}
        >
          {tab}
        </div>
      ))}
    </div>
  );
}
