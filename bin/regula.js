#!/usr/bin/env node
import '../cli/main.ts';
