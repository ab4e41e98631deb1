from fastapi import APIRouter

router = APIRouter(prefix="/training-sessions", tags=["training sessions"])
