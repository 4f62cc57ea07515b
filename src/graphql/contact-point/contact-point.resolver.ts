import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ContactPointView, ContactPointTestResult as TestResult, DeliveryView } from '../../services/alerts/contact-point.service.ts';
import type { GraphQLContext } from '../context.ts';
import { ContactPointInput } from './contact-point.inputs.ts';
import { ContactPoint, ContactPointDelivery, ContactPointTestResult } from './contact-point.type.ts';

const DEFAULT_DELIVERIES = 20;

@Resolver(() => ContactPoint)
export class ContactPointResolver {
  @Query(() => [ContactPoint], { description: 'The contact points of a project you may read, by name' })
  contactPoints(@Arg('projectId', () => ID) projectId: string, @Ctx() { principal, services }: GraphQLContext): Promise<ContactPointView[]> {
    return services.contactPoints.list(principal, projectId);
  }

  @Mutation(() => ContactPoint, { description: 'Creates a contact point, or replaces one (ADMIN of its project); its secret is stored encrypted and never returned' })
  saveContactPoint(@Arg('input', () => ContactPointInput) input: ContactPointInput, @Ctx() { principal, services }: GraphQLContext): Promise<ContactPointView> {
    return services.contactPoints.save(principal, input);
  }

  @Mutation(() => ID, { description: 'Removes a contact point with its pending notifications and delivery log (ADMIN of its project); answers its id' })
  async deleteContactPoint(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<string> {
    await services.contactPoints.delete(principal, id);
    return id;
  }

  @Mutation(() => ContactPointTestResult, { description: 'Sends an alert.test notice at once (ADMIN of its project) and answers what the endpoint made of it; the attempt joins the delivery log' })
  testContactPoint(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<TestResult> {
    return services.contactPoints.test(principal, id);
  }

  @FieldResolver(() => [ContactPointDelivery], { description: 'The latest attempts to deliver here, newest notification first (ADMIN of the project only)' })
  deliveries(
    @Root() contactPoint: ContactPointView,
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('first', () => Int, { defaultValue: DEFAULT_DELIVERIES, description: '1 to 200' }) first: number = DEFAULT_DELIVERIES,
  ): Promise<DeliveryView[]> {
    return services.contactPoints.deliveries(principal, contactPoint, first);
  }
}
