import { Button, Flex, Heading, Text, Tile } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { SettingsApi, TemplateApplied } from '../hooks/settings-api-client.js';
import type { PipelineView, TemplateView } from '@touchpoints/contracts';
import { TemplateMapping } from './TemplateMapping.js';

export interface TemplatePickerProps {
  templates: readonly TemplateView[];
  pipelines: readonly PipelineView[];
  api: SettingsApi;
  onApplied: (applied: TemplateApplied, template: TemplateView) => void;
  onReload: () => void;
  /** Offered when there is somewhere to go back to (touchpoints already set up). */
  onCancel?: () => void;
}

function TemplateTile({ template, onChoose }: { template: TemplateView; onChoose: () => void }) {
  return (
    <Tile testId={`template-${template.id}`}>
      <Flex direction="column" gap="xs">
        <Heading>{template.name}</Heading>
        <Text>
          {template.touchpointNames.length > 0
            ? `Creates: ${template.touchpointNames.join(', ')}`
            : 'Creates no touchpoints: you add your own.'}
        </Text>
        <Button onClick={onChoose}>{`Use “${template.name}”`}</Button>
      </Flex>
    </Tile>
  );
}

/** A ready-made journey to start from: pick one, then map its steps onto a pipeline. */
export function TemplatePicker({ templates, pipelines, api, onApplied, onReload, onCancel }: TemplatePickerProps) {
  const [chosen, setChosen] = useState<TemplateView | null>(null);
  if (chosen) {
    return (
      <TemplateMapping
        template={chosen}
        pipelines={pipelines}
        api={api}
        onApplied={(applied) => onApplied(applied, chosen)}
        onBack={() => setChosen(null)}
        onReload={onReload}
      />
    );
  }
  return (
    <Flex direction="column" gap="sm">
      <Heading>Start from a template</Heading>
      <Flex direction="row" gap="sm" wrap>
        {templates.map((template) => (
          <TemplateTile key={template.id} template={template} onChoose={() => setChosen(template)} />
        ))}
      </Flex>
      {onCancel && <Button onClick={onCancel}>Back to the touchpoints</Button>}
    </Flex>
  );
}
