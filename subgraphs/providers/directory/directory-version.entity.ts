import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The directory's change marker: one row whose version goes up by one in the same transaction as
 * every change to the directory (providers, offers, licenses). Replicas compare it with the version
 * of their in-memory snapshot (see lib/directory-changes.ts); it is not part of the GraphQL API.
 */
@Entity({ tableName: 'directory_version' })
export class DirectoryVersion {
  /** Always 1: the table holds exactly one row, written by the migration that creates it. */
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id!: number;

  @Property({ type: 'integer' })
  version!: number;
}
