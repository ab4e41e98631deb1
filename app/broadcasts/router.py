from fastapi import APIRouter

router = APIRouter(prefix="/broadcasts", tags=["broadcasts"])
