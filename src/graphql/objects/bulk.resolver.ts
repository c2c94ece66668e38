import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { write } from '../../services/write.js';
import { MAX_CREATE_OBJECTS, createObjects } from '../../services/objects/createObjects.js';
import { MaterialObject, toObject } from './object.type.js';
import { CreateObjectInput } from './object.input.js';

@Resolver()
export class BulkObjectResolver {
  @Authorized('objects:write')
  @Mutation(() => [MaterialObject], {
    description: `Creates 1–${MAX_CREATE_OBJECTS} objects in one transaction, all or nothing, in input order. Each gets what createObject gives one object (EUID, audit row, events). An error names the input as inputs.<index>.`,
  })
  async createObjects(
    @Arg('inputs', () => [CreateObjectInput]) inputs: CreateObjectInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<MaterialObject[]> {
    return (await write(ctx, 'createObjects', { inputs }, createObjects)).map(toObject);
  }
}
