import { Migration } from '@mikro-orm/migrations';

export class Migration20261125044629_directory_version extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`directory_version\` (\`id\` integer not null, \`version\` integer not null, primary key (\`id\`));`);
    // The one marker row (see DirectoryVersion); every change to the directory bumps its version.
    this.addSql(`insert into \`directory_version\` (\`id\`, \`version\`) values (1, 0);`);
  }

}
