"""Spoken wording: conversion of recordings (:mod:`.convert`), their storage by content
and their slots (:mod:`.store`)."""
