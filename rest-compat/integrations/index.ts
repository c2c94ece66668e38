// bioAF-style integration routes under /api/v1/integrations (bioaf-integration-api.md):
// request parsing and response shapes only; rules, queries and permission checks
// live in src/services/integrations (and the object services below them).
import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';
import { write } from '../../src/services/write.js';
import { INTEGRATION_PERMISSION as P } from '../../src/services/integrations/access.js';
import {
  ExperimentCreate, ExperimentListQuery, ExperimentUpdate, FileListQuery, ProjectCreate, ProjectListQuery, ProjectUpdate,
  SampleByExternalQuery, SampleCreate, SampleListQuery, SampleUpdate,
} from '../../src/services/integrations/schemas.js';
import { createProject, getProject, getProjectByExternalId, listProjects, updateProject } from '../../src/services/integrations/projects.js';
import {
  createExperiment, getExperiment, getExperimentByExternalId, listExperiments, updateExperiment,
} from '../../src/services/integrations/experiments.js';
import { createSample, getSample, getSampleByExternalId, listSamples, updateSample } from '../../src/services/integrations/samples.js';
import { getFile, listFiles } from '../../src/services/integrations/files.js';
import { checked, gate, integrationErrors, pathId } from './http.js';
import { parseBody } from '../bloom/validation.js';
import { experimentOut, fileOut, pageOut, projectOut, sampleOut } from './shapes.js';
import { WEBHOOK_FIELD_NAMES, webhookRoutes } from './webhooks.js';

export function integrationRoutes(door: RestDoor): Router {
  const r = Router();
  const db = (req: Parameters<RestDoor['context']>[0]) => door.context(req).db;

  // Projects
  r.post('/projects', gate(P.create), checked(ProjectCreate, 'project'), door.idempotent(ProjectCreate), async (req, res) => {
    const row = await write(door.context(req), 'createProject', parseBody(ProjectCreate, req.body), createProject);
    res.status(201).json(projectOut(row));
  });
  r.get('/projects', gate(P.view), async (req, res) => {
    res.json(pageOut(await listProjects(db(req), parseBody(ProjectListQuery, req.query, 'query')), projectOut));
  });
  r.get('/projects/by-external/:external_id', gate(P.view), async (req, res) => {
    res.json(projectOut(await getProjectByExternalId(db(req), String(req.params.external_id))));
  });
  r.get('/projects/:id', gate(P.view), async (req, res) => {
    res.json(projectOut(await getProject(db(req), pathId(req, 'project_id'))));
  });
  r.patch('/projects/:id', gate(P.edit), checked(ProjectUpdate, 'project', 'project_id'), door.idempotent(ProjectUpdate), async (req, res) => {
    const patch = parseBody(ProjectUpdate, req.body);
    res.json(projectOut(await write(door.context(req), 'updateProject', { id: pathId(req, 'project_id'), patch }, updateProject)));
  });

  // Experiments
  r.post('/experiments', gate(P.create), checked(ExperimentCreate, 'experiment'), door.idempotent(ExperimentCreate), async (req, res) => {
    const row = await write(door.context(req), 'createExperiment', parseBody(ExperimentCreate, req.body), createExperiment);
    res.status(201).json(experimentOut(row));
  });
  r.get('/experiments', gate(P.view), async (req, res) => {
    res.json(pageOut(await listExperiments(db(req), parseBody(ExperimentListQuery, req.query, 'query')), experimentOut));
  });
  r.get('/experiments/by-external/:external_id', gate(P.view), async (req, res) => {
    res.json(experimentOut(await getExperimentByExternalId(db(req), String(req.params.external_id))));
  });
  r.get('/experiments/:id', gate(P.view), async (req, res) => {
    res.json(experimentOut(await getExperiment(db(req), pathId(req, 'experiment_id'))));
  });
  r.patch('/experiments/:id', gate(P.edit), checked(ExperimentUpdate, 'experiment', 'experiment_id'), door.idempotent(ExperimentUpdate), async (req, res) => {
    const patch = parseBody(ExperimentUpdate, req.body);
    res.json(experimentOut(await write(door.context(req), 'updateExperiment', { id: pathId(req, 'experiment_id'), patch }, updateExperiment)));
  });

  // Samples
  r.post('/samples', gate(P.create), checked(SampleCreate, 'sample'), door.idempotent(SampleCreate), async (req, res) => {
    const row = await write(door.context(req), 'createSample', parseBody(SampleCreate, req.body), createSample);
    res.status(201).json(sampleOut(row));
  });
  r.get('/samples', gate(P.view), async (req, res) => {
    res.json(pageOut(await listSamples(db(req), parseBody(SampleListQuery, req.query, 'query')), sampleOut));
  });
  r.get('/samples/by-external/:external_id', gate(P.view), async (req, res) => {
    const q = parseBody(SampleByExternalQuery, req.query, 'query');
    res.json(sampleOut(await getSampleByExternalId(db(req), q.experiment_id, String(req.params.external_id))));
  });
  r.get('/samples/:id', gate(P.view), async (req, res) => {
    res.json(sampleOut(await getSample(db(req), pathId(req, 'sample_id'))));
  });
  r.patch('/samples/:id', gate(P.edit), checked(SampleUpdate, 'sample', 'sample_id'), door.idempotent(SampleUpdate), async (req, res) => {
    const patch = parseBody(SampleUpdate, req.body);
    res.json(sampleOut(await write(door.context(req), 'updateSample', { id: pathId(req, 'sample_id'), patch }, updateSample)));
  });

  // Files (read-only)
  r.get('/files', gate(P.view), async (req, res) => {
    res.json(pageOut(await listFiles(db(req), parseBody(FileListQuery, req.query, 'query')), fileOut));
  });
  r.get('/files/:id', gate(P.view), async (req, res) => {
    res.json(fileOut(await getFile(db(req), pathId(req, 'file_id'))));
  });

  r.use(webhookRoutes(door));
  r.use(integrationErrors(WEBHOOK_FIELD_NAMES));
  return r;
}
