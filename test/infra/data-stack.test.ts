import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DataStack } from '../../cdk/data-stack.js';
import { tableDefinition } from '../../lambdas/store/table.js';

function synth(deletionProtection: boolean): Template {
  return Template.fromStack(new DataStack(new App(), 'TouchpointsData', { deletionProtection }));
}

describe('the data stack', () => {
  const template = synth(true);

  it('has one on-demand table with point-in-time recovery and TTL on `ttl`', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('has the same keys and due-timer index the local table is created with', () => {
    const local = tableDefinition('touchpoints-local');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: local.KeySchema,
      AttributeDefinitions: Match.arrayEquals(local.AttributeDefinitions!),
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'GSI1', KeySchema: local.GlobalSecondaryIndexes![0]!.KeySchema, Projection: { ProjectionType: 'ALL' } }),
      ],
    });
  });

  it('keeps the table on stack deletion when deletion protection is on', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtectionEnabled: true }) });
  });

  it('lets a throwaway stack remove its table when deletion protection is off', () => {
    const throwaway = synth(false);
    throwaway.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    expect(JSON.stringify(throwaway.toJSON())).not.toContain('DeletionProtectionEnabled":true');
  });
});
